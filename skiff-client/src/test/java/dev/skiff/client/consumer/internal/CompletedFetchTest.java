package dev.skiff.client.consumer.internal;

import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.ConsumerException;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.FetchResponseData;
import dev.skiff.protocol.record.BatchHeader;
import dev.skiff.protocol.record.CompressionType;
import dev.skiff.protocol.record.Header;
import dev.skiff.protocol.record.RecordBatchBuilder;
import dev.skiff.protocol.record.RecordReader;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** How one fetched partition's bytes turn into records: positions, partial batches, control and aborted batches. */
class CompletedFetchTest {
    private static final Header[] NO_HEADERS = new Header[0];
    private final PartitionState state = new PartitionState(new TopicPartition("t", 0));
    private final List<Long> offsets = new ArrayList<>();
    private final CompletedFetch.Sink collect = (s, reader, batch) -> {
        offsets.add(reader.offset());
        return true;
    };

    /** A batch of {@code count} records from {@code base}, optionally transactional or control. */
    private static byte[] batch(long base, int count, long producerId, boolean transactional, boolean control,
                                short markerType) {
        final RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocate(4096), CompressionType.NONE)
                .baseOffset(base);
        if (producerId >= 0) {
            builder.producerState(producerId, (short) 0, 0);
        }
        for (int i = 0; i < count; i++) {
            final ByteBuffer key = control ? ByteBuffer.allocate(4).putShort(0, (short) 0).putShort(2, markerType)
                    : ByteBuffer.wrap(("k" + (base + i)).getBytes(StandardCharsets.UTF_8));
            builder.append(1000 + i, key, ByteBuffer.wrap("value".getBytes(StandardCharsets.UTF_8)), NO_HEADERS);
        }
        final ByteBuffer built = builder.build().buffer();
        final byte[] bytes = new byte[built.remaining()];
        built.get(bytes);
        if (transactional || control) {
            final ByteBuffer b = ByteBuffer.wrap(bytes);
            short attributes = b.getShort(BatchHeader.ATTRIBUTES_OFFSET);
            attributes |= transactional ? BatchHeader.TRANSACTIONAL_FLAG_MASK : 0;
            attributes |= control ? BatchHeader.CONTROL_FLAG_MASK : 0;
            b.putShort(BatchHeader.ATTRIBUTES_OFFSET, attributes);
            b.putInt(BatchHeader.CRC_OFFSET, (int) new BatchHeader().wrap(b, 0).computeCrc());
        }
        return bytes;
    }

    private static byte[] plain(long base, int count) {
        return batch(base, count, -1, false, false, (short) 0);
    }

    private static ByteBuffer concat(byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    private CompletedFetch fetch(ByteBuffer records, boolean readCommitted,
                                 List<FetchResponseData.AbortedTransaction> aborted) {
        return new CompletedFetch(state, state.position, records, new RecordReader(), true, readCommitted, aborted);
    }

    @Test
    void skipsRecordsBeforeThePositionAndStopsQuietlyAtAPartialTrailingBatch() {
        final byte[] third = plain(5, 4);
        final byte[] partial = java.util.Arrays.copyOf(third, third.length - 7);
        state.seek(1);
        final CompletedFetch f = fetch(concat(plain(0, 3), plain(3, 2), partial), false, null);
        assertThat(f.drain(100, collect)).isEqualTo(4);
        assertThat(offsets).containsExactly(1L, 2L, 3L, 4L);
        assertThat(f.isDone()).isTrue();
        assertThat(state.position).isEqualTo(5);
    }

    @Test
    void drainsAtMostMaxRecordsAndResumesWhereItStopped() {
        state.seek(0);
        final CompletedFetch f = fetch(concat(plain(0, 3), plain(3, 3)), false, null);
        assertThat(f.drain(2, collect)).isEqualTo(2);
        assertThat(state.position).isEqualTo(2);
        assertThat(f.drain(10, collect)).isEqualTo(4);
        assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void controlBatchesAreNeverReturnedButMoveThePosition() {
        state.seek(0);
        final CompletedFetch f = fetch(concat(batch(0, 2, 7, true, false, (short) 0),
                batch(2, 1, 7, true, true, (short) 1)), false, null);
        f.drain(100, collect);
        assertThat(offsets).containsExactly(0L, 1L);
        assertThat(state.position).isEqualTo(3);
    }

    @Test
    void readCommittedSkipsAbortedTransactionsUntilTheirAbortMarker() {
        state.seek(0);
        final List<FetchResponseData.AbortedTransaction> aborted = List.of(
                new FetchResponseData.AbortedTransaction().setProducerId(7).setFirstOffset(0));
        final ByteBuffer records = concat(batch(0, 2, 7, true, false, (short) 0),
                batch(2, 1, 7, true, true, (short) 0), batch(3, 2, 7, true, false, (short) 0),
                batch(5, 1, 7, true, true, (short) 1));
        fetch(records, true, aborted).drain(100, collect);
        assertThat(offsets).containsExactly(3L, 4L);
        assertThat(state.position).isEqualTo(6);

        offsets.clear();
        state.seek(0);
        fetch(records, false, aborted).drain(100, collect);
        assertThat(offsets).containsExactly(0L, 1L, 3L, 4L);
    }

    @Test
    void aBatchFailingItsCrcIsReportedAsCorrupt() {
        final byte[] bad = plain(0, 2);
        bad[bad.length - 3] ^= 0x5A;
        state.seek(0);
        final ConsumerException e = catchThrowableOfType(ConsumerException.class,
                () -> fetch(ByteBuffer.wrap(bad), false, null).drain(100, collect));
        assertThat(e.error()).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(e).hasMessageContaining("t-0").hasMessageContaining("CRC");
    }

    @Test
    void aSinkThatRefusesARecordLeavesThePositionAtThatRecord() {
        state.seek(0);
        final CompletedFetch f = fetch(ByteBuffer.wrap(plain(0, 3)), false, null);
        f.drain(100, (s, reader, batch) -> reader.offset() != 1);
        assertThat(f.isStopped()).isTrue();
        assertThat(state.position).isEqualTo(1);
    }

    @Test
    void aSeekMakesBufferedDataStale() {
        state.seek(0);
        final CompletedFetch f = fetch(ByteBuffer.wrap(plain(0, 3)), false, null);
        assertThat(f.isStale()).isFalse();
        state.seek(2);
        assertThat(f.isStale()).isTrue();
    }
}

package dev.skiff.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.protocol.record.BatchHeader;
import dev.skiff.protocol.record.BatchIterator;
import dev.skiff.protocol.record.CompressionType;
import dev.skiff.protocol.record.RecordBatchBuilder;
import dev.skiff.protocol.record.RecordReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keyed batches and a gap-aware reader for compaction tests. */
final class CompactionTestSupport {
    private CompactionTestSupport() {
    }

    /** One record as read back. */
    record Rec(long offset, String key, String value, long timestamp) {
    }

    /** A test config for compacted logs: tiny segments, cleaner only when called, files deleted at once. */
    static LogConfig.Builder compacted() {
        return StorageTestSupport.small().cleanupPolicy("compact").cleanerBackoffMs(Long.MAX_VALUE)
                .minCleanableDirtyRatio(0.5).deleteRetentionMs(1_000);
    }

    /** A batch of records given as key, value pairs (null value: tombstone; null key: keyless). */
    static ByteBuffer batch(CompressionType compression, long timestamp, String... keysAndValues) {
        final RecordBatchBuilder b = RecordBatchBuilder.growing(256, Integer.MAX_VALUE, compression);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            b.append(timestamp + i / 2, bytes(keysAndValues[i]), bytes(keysAndValues[i + 1]), null);
        }
        return copy(b.build().buffer());
    }

    /** An uncompressed one-record batch. */
    static ByteBuffer record(String key, String value, long timestamp) {
        return batch(CompressionType.NONE, timestamp, key, value);
    }

    /** A batch of an idempotent producer. */
    static ByteBuffer producerBatch(long producerId, short epoch, int sequence, long timestamp,
                                    String... keysAndValues) {
        final RecordBatchBuilder b = RecordBatchBuilder.growing(256, Integer.MAX_VALUE, CompressionType.NONE)
                .producerState(producerId, epoch, sequence);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            b.append(timestamp, bytes(keysAndValues[i]), bytes(keysAndValues[i + 1]), null);
        }
        return copy(b.build().buffer());
    }

    private static ByteBuffer bytes(String s) {
        return s == null ? null : ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static ByteBuffer copy(ByteBuffer b) {
        final ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    private static String string(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        final byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    /** Every batch header (copied) from the log start to its end, checking CRCs and increasing offsets. */
    static List<ByteBuffer> batches(PartitionLog log) {
        final List<ByteBuffer> result = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            final ByteBuffer chunk = log.read(offset, 64 * 1024).readInto();
            assertThat(chunk.remaining()).as("read at %d", offset).isPositive();
            final BatchIterator it = new BatchIterator(chunk);
            while (it.hasNext()) {
                final BatchHeader h = it.next();
                assertThat(h.isCrcValid()).as("CRC of the batch at %d", h.baseOffset()).isTrue();
                assertThat(h.baseOffset()).as("batches never go back").isGreaterThanOrEqualTo(offset);
                final ByteBuffer copy = ByteBuffer.allocate(h.sizeInBytes());
                copy.put(chunk.duplicate().limit(h.end()).position(h.start())).flip();
                result.add(copy);
                offset = h.lastOffset() + 1;
            }
        }
        return result;
    }

    /** Every record from the log start to its end, with strictly increasing offsets. */
    static List<Rec> records(PartitionLog log) {
        final List<Rec> result = new ArrayList<>();
        final RecordReader reader = new RecordReader();
        long last = -1;
        for (ByteBuffer batch : batches(log)) {
            reader.open(batch, 0);
            while (reader.next()) {
                assertThat(reader.offset()).as("offsets strictly increase").isGreaterThan(last);
                last = reader.offset();
                result.add(new Rec(reader.offset(), string(reader.key()), string(reader.value()),
                        reader.timestamp()));
            }
        }
        return result;
    }
}

package dev.skiff.protocol.record;

import dev.skiff.protocol.DecodeException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.NoSuchElementException;

import static dev.skiff.protocol.record.TestBatches.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Framing checks and flyweight reuse of {@link BatchIterator}. */
class BatchIteratorTest {
    private static ByteBuffer twoBatches() {
        final ByteBuffer buffer = ByteBuffer.allocate(500);
        for (int i = 0; i < 2; i++) {
            final RecordBatchBuilder b = new RecordBatchBuilder(buffer, CompressionType.NONE).baseOffset(i * 10);
            b.append(1L, null, ByteBuffer.wrap(utf8("v" + i)), null);
            b.build();
        }
        return buffer.flip();
    }

    @Test
    void yieldsOneReusedViewPerBatchWithoutMovingTheCallersBuffer() {
        final ByteBuffer records = twoBatches();
        final BatchIterator it = new BatchIterator(records);
        final BatchHeader first = it.next();
        assertThat(first.baseOffset()).isZero();
        final int firstSize = first.sizeInBytes();
        final BatchHeader second = it.next();
        assertThat(second).isSameAs(first);
        assertThat(second.baseOffset()).isEqualTo(10);
        assertThat(second.start()).isEqualTo(firstSize);
        assertThat(it.hasNext()).isFalse();
        assertThat(it.validBytes()).isEqualTo(records.remaining());
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        assertThat(records.position()).isZero();
    }

    @Test
    void resetReusesTheIteratorAndLittleEndianViewsReadBigEndian() {
        final BatchIterator it = new BatchIterator(ByteBuffer.allocate(0));
        assertThat(it.hasNext()).isFalse();
        it.reset(twoBatches().order(ByteOrder.LITTLE_ENDIAN));
        assertThat(it.next().baseOffset()).isZero();
        assertThat(it.next().baseOffset()).isEqualTo(10);
    }

    @Test
    void strictIteratorRejectsAPartialTrailingBatchAndLenientOneStopsBeforeIt() {
        final ByteBuffer records = twoBatches();
        final ByteBuffer cut = records.duplicate().limit(records.limit() - 1);
        final BatchIterator strict = new BatchIterator(cut);
        strict.next();
        assertThatThrownBy(strict::hasNext).isInstanceOf(DecodeException.class)
                .hasMessageContaining("do not form a complete batch");
        final BatchIterator lenient = BatchIterator.lenient(cut);
        assertThat(lenient.next().baseOffset()).isZero();
        assertThat(lenient.hasNext()).isFalse();
        assertThat(lenient.partialBytes()).isEqualTo(cut.remaining() - lenient.validBytes());
    }

    @Test
    void shortBatchLengthAndOtherMagicsAreDecodeExceptionsEvenWhenLenient() {
        final ByteBuffer shortLength = twoBatches();
        shortLength.putInt(BatchHeader.LENGTH_OFFSET, 48);
        assertThatThrownBy(() -> BatchIterator.lenient(shortLength).hasNext()).isInstanceOf(DecodeException.class)
                .hasMessageContaining("batchLength 48");
        for (byte magic : new byte[]{0, 1, 3}) {
            final ByteBuffer other = twoBatches();
            other.put(BatchHeader.MAGIC_OFFSET, magic);
            assertThatThrownBy(() -> new BatchIterator(other).hasNext()).isInstanceOf(DecodeException.class)
                    .hasMessageContaining("magic " + magic);
        }
    }

    @Test
    void memoryRecordsIteratesItsBatches() {
        final MemoryRecords records = MemoryRecords.readableRecords(twoBatches());
        final BatchIterator it = records.batches();
        int n = 0;
        while (it.hasNext()) {
            assertThat(it.next().isCrcValid()).isTrue();
            n++;
        }
        assertThat(n).isEqualTo(2);
        assertThat(TestBatches.readAll(records.buffer())).extracting(TestBatches.Read::offset)
                .isEqualTo(List.of(0L, 10L));
    }
}

package dev.skiff.protocol.record;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.record.TestBatches.Input;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.skiff.protocol.record.TestBatches.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Buffer handling, room checks and size estimates of {@link RecordBatchBuilder}. */
class RecordBatchBuilderTest {

    @Test
    void fixedBufferBatchesAreBuiltBackToBackAndThePositionMovesPastEach() {
        final ByteBuffer buffer = ByteBuffer.allocate(1000);
        buffer.position(10);
        final List<Input> inputs = List.of(new Input(1L, utf8("a"), utf8("b")));
        for (CompressionType type : CompressionType.values()) {
            final RecordBatchBuilder b = new RecordBatchBuilder(buffer, type);
            b.append(1L, ByteBuffer.wrap(utf8("a")), ByteBuffer.wrap(utf8("b")), null);
            final int before = buffer.position();
            final MemoryRecords built = b.build();
            assertThat(buffer.position()).isEqualTo(before + built.sizeInBytes());
            assertThat(TestBatches.readAll(built.buffer())).isEqualTo(TestBatches.expected(inputs, 0));
        }
        final ByteBuffer all = buffer.duplicate().flip().position(10);
        assertThat(BatchValidator.validate(all, 1 << 20).batchCount()).isEqualTo(CompressionType.values().length);
    }

    @Test
    void fixedBufferRefusesWhatDoesNotFitAndHasRoomForSaysSo() {
        final ByteBuffer buffer = ByteBuffer.allocate(100);
        final RecordBatchBuilder b = new RecordBatchBuilder(buffer, CompressionType.NONE);
        final ByteBuffer value = ByteBuffer.wrap(new byte[20]);
        int appended = 0;
        while (b.hasRoomFor(1L, null, value, null)) {
            b.append(1L, null, value, null);
            appended++;
        }
        assertThat(appended).isEqualTo(1);
        assertThatThrownBy(() -> b.append(1L, null, value, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hasRoomFor");
        assertThat(b.build().sizeInBytes()).isLessThanOrEqualTo(100);
        assertThatThrownBy(() -> new RecordBatchBuilder(ByteBuffer.allocate(60), CompressionType.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void incompressibleRecordsThatOutgrowAFixedBufferMoveToANewBuffer() {
        final byte[] random = new byte[900];
        new Random(9).nextBytes(random);
        final ByteBuffer buffer = ByteBuffer.allocate(BatchHeader.HEADER_SIZE + 910); // the record takes 909
        final RecordBatchBuilder b = new RecordBatchBuilder(buffer, CompressionType.GZIP);
        assertThat(b.hasRoomFor(1L, null, ByteBuffer.wrap(random), null)).isTrue();
        b.append(1L, null, ByteBuffer.wrap(random), null);
        final MemoryRecords built = b.build();
        assertThat(built.sizeInBytes()).isGreaterThan(buffer.capacity());
        assertThat(buffer.position()).isZero();
        assertThat(BatchValidator.validate(built.buffer(), 1 << 20).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void growingBuilderAcceptsAnOversizedFirstRecordThenHonoursTheWriteLimit() {
        final RecordBatchBuilder b = RecordBatchBuilder.growing(16, 200, CompressionType.NONE);
        final ByteBuffer big = ByteBuffer.wrap(new byte[500]);
        assertThat(b.hasRoomFor(1L, null, big, null)).isTrue();
        b.append(1L, null, big, null);
        assertThat(b.hasRoomFor(1L, null, ByteBuffer.wrap(new byte[1]), null)).isFalse();
        assertThat(b.build().sizeInBytes()).isEqualTo(b.uncompressedSizeInBytes());
        assertThat(b.hasRoomFor(1L, null, null, null)).isFalse();
        assertThatThrownBy(() -> b.append(1L, null, null, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void estimatedCompressionRatioLetsMoreRecordsIntoACompressedBatch() {
        final RecordBatchBuilder b = RecordBatchBuilder.growing(16, 1000, CompressionType.LZ4)
                .estimatedCompressionRatio(0.25f);
        final ByteBuffer value = ByteBuffer.wrap(new byte[100]);
        int n = 0;
        while (b.hasRoomFor(1L, null, value, null)) {
            b.append(1L, null, value, null);
            n++;
        }
        assertThat(n).isGreaterThan(9);
        assertThat(b.build().sizeInBytes()).isLessThan(1000);
    }

    @Test
    void emptyBuilderBuildsNoBatchAsKafkaDoes() {
        final ByteBuffer buffer = ByteBuffer.allocate(100);
        final RecordBatchBuilder b = new RecordBatchBuilder(buffer, CompressionType.NONE);
        assertThat(b.isEmpty()).isTrue();
        assertThat(b.build().sizeInBytes()).isZero();
        assertThat(buffer.position()).isZero();
    }

    @Test
    void buildIsIdempotentAndSettersAfterBuildFail() {
        final RecordBatchBuilder b = RecordBatchBuilder.growing(16, 1000, CompressionType.SNAPPY);
        b.append(1L, null, null, null);
        final MemoryRecords first = b.build();
        assertThat(b.build()).isSameAs(first);
        assertThatThrownBy(() -> b.producerState(1, (short) 1, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void littleEndianCallerBuffersStillGetBigEndianBatches() {
        final ByteBuffer buffer = ByteBuffer.allocate(200).order(ByteOrder.LITTLE_ENDIAN);
        final RecordBatchBuilder b = new RecordBatchBuilder(buffer, CompressionType.NONE).baseOffset(0);
        b.append(7L, ByteBuffer.wrap(utf8("k")), null, null);
        final ValidationResult r = BatchValidator.validate(b.build().buffer(), 1 << 20);
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.maxTimestamp()).isEqualTo(7L);
    }

    @Test
    void keyAndValueBuffersAreNotConsumed() {
        final ByteBuffer key = ByteBuffer.wrap(utf8("xxkey")).position(2);
        final ByteBuffer value = ByteBuffer.allocateDirect(3).put(utf8("val")).flip();
        final RecordBatchBuilder b = RecordBatchBuilder.growing(16, 1000, CompressionType.NONE);
        b.append(1L, key, value, null);
        assertThat(key.position()).isEqualTo(2);
        assertThat(value.position()).isZero();
        assertThat(TestBatches.readAll(b.build().buffer()))
                .isEqualTo(TestBatches.expected(List.of(new Input(1L, utf8("key"), utf8("val"))), 0));
    }

    @Test
    void negativeTimestampsOtherThanNoTimestampAreRejected() {
        final RecordBatchBuilder b = RecordBatchBuilder.growing(16, 1000, CompressionType.NONE);
        assertThatThrownBy(() -> b.append(-2L, null, null, null)).isInstanceOf(IllegalArgumentException.class);
        b.append(-1L, null, null, null);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void headerFieldsMatchWhatWasSet(CompressionType type) {
        final RecordBatchBuilder b = RecordBatchBuilder.growing(16, 1000, type)
                .producerState(9L, (short) 2, 40).baseOffset(500).partitionLeaderEpoch(6);
        b.append(30L, null, null, null);
        b.append(10L, null, null, null);
        b.append(20L, null, null, null);
        final BatchHeader h = new BatchIterator(b.build().buffer()).next();
        assertThat(h.baseOffset()).isEqualTo(500);
        assertThat(h.lastOffset()).isEqualTo(502);
        assertThat(h.partitionLeaderEpoch()).isEqualTo(6);
        assertThat(h.compressionType()).isEqualTo(type);
        assertThat(h.baseTimestamp()).isEqualTo(30L);
        assertThat(h.maxTimestamp()).isEqualTo(30L);
        assertThat(h.producerId()).isEqualTo(9L);
        assertThat(h.producerEpoch()).isEqualTo((short) 2);
        assertThat(h.baseSequence()).isEqualTo(40);
        assertThat(h.lastSequence()).isEqualTo(42);
        assertThat(h.recordCount()).isEqualTo(3);
        assertThat(h.isCrcValid()).isTrue();
        assertThat(h.isTransactional()).isFalse();
        assertThat(h.isControl()).isFalse();
    }

    @Test
    void sizeOfRecordIsExactAndTheEstimateIsAnUpperBound() {
        final Random random = new Random(5);
        for (int i = 0; i < 500; i++) {
            final int keySize = random.nextInt(3) == 0 ? -1 : random.nextInt(300);
            final int valueSize = random.nextInt(3) == 0 ? -1 : random.nextInt(20_000);
            final List<Header> hs = new ArrayList<>();
            for (int h = random.nextInt(4); h > 0; h--) {
                hs.add(new Header("h" + h, random.nextBoolean() ? null : new byte[random.nextInt(200)]));
            }
            final Header[] headers = hs.toArray(new Header[0]);
            final long timestamp = random.nextInt(2) == 0 ? 1L : Math.abs(random.nextLong() >> 2);
            final RecordBatchBuilder b = RecordBatchBuilder.growing(16, 1 << 20, CompressionType.NONE);
            b.append(1L, null, null, null);
            final int before = b.uncompressedSizeInBytes();
            b.append(timestamp, keySize < 0 ? null : ByteBuffer.allocate(keySize),
                    valueSize < 0 ? null : ByteBuffer.allocate(valueSize), headers);
            final int actual = b.uncompressedSizeInBytes() - before;
            assertThat(RecordBatchBuilder.sizeOfRecord(1, timestamp - 1L, keySize, valueSize, headers))
                    .isEqualTo(actual);
            assertThat(RecordBatchBuilder.estimateRecordSize(keySize, valueSize, headers))
                    .isGreaterThanOrEqualTo(actual)
                    .isLessThanOrEqualTo(actual + RecordBatchBuilder.MAX_RECORD_OVERHEAD);
            assertThat(RecordBatchBuilder.estimateBatchSize(keySize, valueSize, headers))
                    .isEqualTo(BatchHeader.HEADER_SIZE + RecordBatchBuilder.estimateRecordSize(keySize, valueSize,
                            headers));
        }
    }
}

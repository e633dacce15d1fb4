package dev.skiff.protocol.record;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.record.TestBatches.Input;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static dev.skiff.protocol.record.TestBatches.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** The produce-path checks of {@link BatchValidator}, case by case, with Kafka's error codes. */
class BatchValidatorTest {
    private static final int MAX = 1 << 20;

    private static ByteBuffer batch(CompressionType type, int records) {
        final RecordBatchBuilder b = RecordBatchBuilder.growing(128, MAX, type).producerState(77L, (short) 3, 10);
        for (int i = 0; i < records; i++) {
            b.append(1_000L + i, ByteBuffer.wrap(utf8("k" + i)), ByteBuffer.wrap(utf8("value-" + i)), null);
        }
        return b.build().buffer();
    }

    private static ByteBuffer concat(ByteBuffer... parts) {
        int size = 0;
        for (ByteBuffer p : parts) {
            size += p.remaining();
        }
        final ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer p : parts) {
            all.put(p.duplicate());
        }
        return all.flip();
    }

    private static ValidationResult validate(ByteBuffer records) {
        return BatchValidator.validate(records, MAX);
    }

    @Test
    void validBatchReportsProducerStateCountsAndTimestamps() {
        final ValidationResult r = validate(batch(CompressionType.LZ4, 5));
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.isValid()).isTrue();
        assertThat(r.errorMessage()).isEmpty();
        assertThat(r.batchCount()).isEqualTo(1);
        assertThat(r.recordCount()).isEqualTo(5);
        assertThat(r.producerId()).isEqualTo(77L);
        assertThat(r.producerEpoch()).isEqualTo((short) 3);
        assertThat(r.baseSequence()).isEqualTo(10);
        assertThat(r.lastSequence()).isEqualTo(14);
        assertThat(r.maxTimestamp()).isEqualTo(1_004L);
        assertThat(r.sourceCompression()).isEqualTo(CompressionType.LZ4);
        assertThat(r.isTransactional()).isFalse();
    }

    @Test
    void severalBatchesTakeProducerStateFromTheFirstAndLastSequenceFromTheLast() {
        final ByteBuffer first = batch(CompressionType.NONE, 2);
        final RecordBatchBuilder b = RecordBatchBuilder.growing(128, MAX, CompressionType.GZIP)
                .producerState(77L, (short) 3, 12);
        b.append(5_000L, null, ByteBuffer.wrap(utf8("late")), null);
        b.append(4_000L, null, ByteBuffer.wrap(utf8("early")), null);
        final ByteBuffer all = concat(first, b.build().buffer());
        final ValidationResult r = validate(all);
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.batchCount()).isEqualTo(2);
        assertThat(r.recordCount()).isEqualTo(4);
        assertThat(r.baseSequence()).isEqualTo(10);
        assertThat(r.lastSequence()).isEqualTo(13);
        assertThat(r.maxTimestamp()).isEqualTo(5_000L);
        assertThat(r.validBytes()).isEqualTo(all.remaining());
        assertThat(r.sourceCompression()).isEqualTo(CompressionType.GZIP);
    }

    @Test
    void produceAcceptsExactlyOneBatchLikeKafkaProduceV3AndLater() {
        final ByteBuffer two = concat(batch(CompressionType.NONE, 1), batch(CompressionType.NONE, 1));
        final ValidationResult r = BatchValidator.validateProduce(two, MAX, (short) 9, new ValidationResult());
        assertThat(r.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(r.errorMessage()).contains("exactly one record batch");
    }

    @Test
    void zstdNeedsProduceV7() {
        final ByteBuffer zstd = batch(CompressionType.ZSTD, 2);
        assertThat(BatchValidator.validateProduce(zstd, MAX, (short) 6, new ValidationResult()).error())
                .isEqualTo(Errors.UNSUPPORTED_COMPRESSION_TYPE);
        assertThat(BatchValidator.validateProduce(zstd, MAX, (short) 7, new ValidationResult()).error())
                .isEqualTo(Errors.NONE);
    }

    @Test
    void emptyPayloadIsInvalidRecordAsKafkaAnswersEmptyProduce() {
        final ValidationResult r = validate(ByteBuffer.allocate(0));
        assertThat(r.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(r.errorMessage()).contains("at least one record batch");
    }

    @Test
    void wrongCrcIsCorruptMessage() {
        final ByteBuffer b = batch(CompressionType.NONE, 3);
        b.putInt(BatchHeader.CRC_OFFSET, b.getInt(BatchHeader.CRC_OFFSET) ^ 1);
        final ValidationResult r = validate(b);
        assertThat(r.error()).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(r.errorMessage()).contains("crc");
    }

    @Test
    void changedRecordBytesAreCorruptMessage() {
        final ByteBuffer b = batch(CompressionType.SNAPPY, 3);
        final int last = b.limit() - 1;
        b.put(last, (byte) (b.get(last) + 1));
        assertThat(validate(b).error()).isEqualTo(Errors.CORRUPT_MESSAGE);
    }

    @Test
    void batchLargerThanTheLimitIsMessageTooLarge() {
        final ByteBuffer b = batch(CompressionType.NONE, 3);
        final int size = b.remaining();
        assertThat(BatchValidator.validate(b, size).error()).isEqualTo(Errors.NONE);
        final ValidationResult r = BatchValidator.validate(b, size - 1);
        assertThat(r.error()).isEqualTo(Errors.MESSAGE_TOO_LARGE);
        assertThat(r.errorMessage()).contains(Integer.toString(size));
    }

    @Test
    void everyTruncationIsInvalidRecordAsKafkaAnswers() {
        final ByteBuffer b = batch(CompressionType.NONE, 3);
        for (int cut = 1; cut < b.remaining(); cut++) {
            final ByteBuffer truncated = b.duplicate().limit(cut);
            assertThat(validate(truncated).error()).as("cut at %d", cut).isEqualTo(Errors.INVALID_RECORD);
        }
    }

    @Test
    void partialTrailingBatchAfterAValidOneIsInvalidRecord() {
        final ByteBuffer one = batch(CompressionType.NONE, 2);
        final ByteBuffer all = concat(one, one.duplicate().limit(30));
        final ValidationResult r = validate(all);
        assertThat(r.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(r.errorMessage()).contains("Trailing 30 bytes");
    }

    @ParameterizedTest
    @ValueSource(bytes = {0, 1})
    void oldMagicIsInvalidRecordAsForProduceV3AndLater(byte magic) {
        final ByteBuffer b = batch(CompressionType.NONE, 1);
        b.put(BatchHeader.MAGIC_OFFSET, magic);
        final ValidationResult r = validate(b);
        assertThat(r.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(r.errorMessage()).contains("magic version 2");
    }

    @ParameterizedTest
    @ValueSource(bytes = {3, 42, -1})
    void unknownMagicIsCorruptMessage(byte magic) {
        final ByteBuffer b = batch(CompressionType.NONE, 1);
        b.put(BatchHeader.MAGIC_OFFSET, magic);
        final ValidationResult r = validate(b);
        assertThat(r.error()).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(r.errorMessage()).contains("Invalid magic");
    }

    @Test
    void batchLengthBelowTheV2HeaderIsCorruptMessage() {
        final ByteBuffer tiny = ByteBuffer.allocate(12 + 13);
        tiny.putInt(BatchHeader.LENGTH_OFFSET, 13);
        assertThat(validate(tiny).error()).isEqualTo(Errors.CORRUPT_MESSAGE);

        final ByteBuffer shortBatch = ByteBuffer.allocate(12 + 40);
        shortBatch.putInt(BatchHeader.LENGTH_OFFSET, 40);
        shortBatch.put(BatchHeader.MAGIC_OFFSET, BatchHeader.MAGIC_V2);
        final ValidationResult r = validate(shortBatch);
        assertThat(r.error()).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(r.errorMessage()).contains("61-byte");
    }

    @Test
    void nonZeroBaseOffsetIsInvalidRecord() {
        final ByteBuffer b = batch(CompressionType.NONE, 1);
        b.putLong(BatchHeader.BASE_OFFSET_OFFSET, 5); // not covered by the CRC
        final ValidationResult r = validate(b);
        assertThat(r.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(r.errorMessage()).contains("baseOffset");
    }

    @Test
    void lastOffsetDeltaDisagreeingWithRecordCountIsInvalidRecord() {
        final ByteBuffer b = batch(CompressionType.NONE, 3);
        b.putInt(BatchHeader.LAST_OFFSET_DELTA_OFFSET, 5);
        TestBatches.fixCrc(b, 0);
        final ValidationResult r = validate(b);
        assertThat(r.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(r.errorMessage()).contains("Inconsistent batch offset range");
    }

    @Test
    void negativeOffsetRangeOrZeroCountIsInvalidRecord() {
        final ByteBuffer range = batch(CompressionType.NONE, 1);
        range.putInt(BatchHeader.LAST_OFFSET_DELTA_OFFSET, -1);
        TestBatches.fixCrc(range, 0);
        assertThat(validate(range).errorMessage()).contains("invalid offset range");
        assertThat(validate(range).error()).isEqualTo(Errors.INVALID_RECORD);

        final ByteBuffer count = batch(CompressionType.NONE, 1);
        count.putInt(BatchHeader.RECORD_COUNT_OFFSET, 0);
        TestBatches.fixCrc(count, 0);
        assertThat(validate(count).error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(validate(count).errorMessage()).contains("Invalid reported count");
    }

    @Test
    void controlBatchFromAClientIsInvalidRecord() {
        final ByteBuffer b = withAttributes(batch(CompressionType.NONE, 1), BatchHeader.CONTROL_FLAG_MASK);
        assertThat(validate(b).error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(validate(b).errorMessage()).contains("control records");
    }

    @Test
    void transactionalBatchIsAcceptedAndReported() {
        final ByteBuffer b = withAttributes(batch(CompressionType.NONE, 1), BatchHeader.TRANSACTIONAL_FLAG_MASK);
        final ValidationResult r = validate(b);
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.isTransactional()).isTrue();
    }

    @Test
    void logAppendTimeFromAProducerIsInvalidTimestamp() {
        final ByteBuffer b = withAttributes(batch(CompressionType.NONE, 1), BatchHeader.TIMESTAMP_TYPE_MASK);
        assertThat(validate(b).error()).isEqualTo(Errors.INVALID_TIMESTAMP);
    }

    @Test
    void unknownCodecIdIsInvalidRecord() {
        final ByteBuffer b = withAttributes(batch(CompressionType.NONE, 1), 0x06);
        final ValidationResult r = validate(b);
        assertThat(r.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(r.errorMessage()).contains("codec id 6");
    }

    @Test
    void producerIdWithoutSequenceIsInvalidRecord() {
        final RecordBatchBuilder b = RecordBatchBuilder.growing(128, MAX, CompressionType.NONE)
                .producerState(5L, (short) 0, -1);
        b.append(1L, null, ByteBuffer.wrap(utf8("v")), null);
        final ValidationResult r = validate(b.build().buffer());
        assertThat(r.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(r.errorMessage()).contains("Invalid sequence number");
    }

    @Test
    void lastSequenceWrapsPastIntegerMaxValueAsKafkaDoes() {
        final RecordBatchBuilder b = RecordBatchBuilder.growing(128, MAX, CompressionType.NONE)
                .producerState(5L, (short) 0, Integer.MAX_VALUE - 1);
        for (int i = 0; i < 3; i++) {
            b.append(1L, null, ByteBuffer.wrap(utf8("v")), null);
        }
        assertThat(validate(b.build().buffer()).lastSequence()).isZero();
    }

    @Test
    void callersBufferPositionAndLimitAreUnchangedForHeapDirectAndLittleEndianBuffers() {
        final ByteBuffer heap = batch(CompressionType.NONE, 2);
        final ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining() + 10);
        direct.position(5);
        direct.put(heap.duplicate());
        direct.limit(direct.position()).position(5);
        final ByteBuffer little = heap.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (ByteBuffer b : List.of(heap, direct, little)) {
            final int position = b.position();
            final int limit = b.limit();
            assertThat(validate(b).error()).isEqualTo(Errors.NONE);
            assertThat(b.position()).isEqualTo(position);
            assertThat(b.limit()).isEqualTo(limit);
        }
    }

    @Test
    void validatingAValidPayloadAllocatesNothing() {
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final ByteBuffer heap = batch(CompressionType.LZ4, 20);
        final ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining()).put(heap.duplicate()).flip();
        final ValidationResult result = new ValidationResult();
        for (ByteBuffer b : List.of(heap, direct)) {
            for (int i = 0; i < 20_000; i++) {
                BatchValidator.validate(b, MAX, result);
            }
            final long tid = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 10_000; i++) {
                BatchValidator.validate(b, MAX, result);
            }
            final long allocated = threads.getThreadAllocatedBytes(tid) - before;
            assertThat(result.error()).isEqualTo(Errors.NONE);
            // Ten thousand validations; anything per call would show as at least 160 KB.
            assertThat(allocated).as("bytes allocated by 10k validations").isLessThan(4096);
        }
    }

    private static ByteBuffer withAttributes(ByteBuffer b, int flags) {
        b.putShort(BatchHeader.ATTRIBUTES_OFFSET, (short) (b.getShort(BatchHeader.ATTRIBUTES_OFFSET) | flags));
        TestBatches.fixCrc(b, 0);
        return b;
    }

    @Test
    void kafkaBuiltIdempotentBatchesValidate() {
        final List<Input> inputs = List.of(new Input(10L, utf8("a"), utf8("b")), new Input(11L, null, utf8("c")));
        for (CompressionType type : CompressionType.values()) {
            final ByteBuffer kafka = KafkaCompatibilityTest.kafkaBatch(type, inputs, 0,
                    org.apache.kafka.common.record.TimestampType.CREATE_TIME);
            assertThat(validate(kafka).error()).as(type.toString()).isEqualTo(Errors.NONE);
        }
    }
}

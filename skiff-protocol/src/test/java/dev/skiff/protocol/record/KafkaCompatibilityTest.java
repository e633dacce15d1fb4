package dev.skiff.protocol.record;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.record.TestBatches.Input;
import dev.skiff.protocol.record.TestBatches.Read;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.compress.Lz4BlockOutputStream;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.ByteBufferOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.skiff.protocol.record.TestBatches.header;
import static dev.skiff.protocol.record.TestBatches.hex;
import static dev.skiff.protocol.record.TestBatches.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's own record classes (kafka-clients, test scope) as the oracle: what Skiff writes Kafka reads
 * identically, and what Kafka writes Skiff reads identically, for every codec.
 */
class KafkaCompatibilityTest {
    private static final long PRODUCER_ID = 4242L;
    private static final short EPOCH = 7;
    private static final int BASE_SEQUENCE = 100;

    static Stream<Arguments> cases() {
        final List<Arguments> out = new ArrayList<>();
        for (CompressionType type : CompressionType.values()) {
            for (String name : List.of("empty", "one", "nulls-and-headers", "large")) {
                out.add(Arguments.of(type, name));
            }
        }
        return out.stream();
    }

    static List<Input> records(String name) {
        final Random random = new Random(name.hashCode());
        switch (name) {
            case "empty":
                return List.of();
            case "one":
                return List.of(new Input(1_700_000_000_000L, utf8("k"), utf8("v")));
            case "nulls-and-headers":
                return List.of(
                        new Input(1_700_000_000_000L, null, null),
                        new Input(1_700_000_000_005L, utf8("key"), null,
                                new Header("h1", utf8("one")), new Header("h2", null)),
                        new Input(1_699_999_999_000L, null, utf8("value"), new Header("ünïcödé", new byte[0])),
                        new Input(1_700_000_000_010L, new byte[0], new byte[0]),
                        new Input(BatchHeader.NO_TIMESTAMP, utf8("x"), utf8("y")));
            case "large":
                // Spans several 64 KiB lz4 blocks and 32 KiB snappy chunks; half random, half compressible.
                final List<Input> big = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    final byte[] value = new byte[40_000 + random.nextInt(5000)];
                    if (i % 2 == 0) {
                        random.nextBytes(value);
                    } else {
                        for (int j = 0; j < value.length; j++) {
                            value[j] = (byte) ('a' + j % 7);
                        }
                    }
                    big.add(new Input(1_700_000_000_000L + i, utf8("key-" + i), value,
                            new Header("i", utf8(Integer.toString(i)))));
                }
                return big;
            default:
                throw new IllegalArgumentException(name);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void batchesSkiffBuildsAreReadIdenticallyByKafka(CompressionType type, String name) {
        final List<Input> inputs = records(name);
        final RecordBatchBuilder builder = RecordBatchBuilder.growing(256, 1 << 22, type)
                .producerState(PRODUCER_ID, EPOCH, BASE_SEQUENCE);
        for (Input in : inputs) {
            builder.append(in.timestamp, TestBatches.wrap(in.key), TestBatches.wrap(in.value), in.headers);
        }
        final MemoryRecords ours = builder.build();

        final org.apache.kafka.common.record.internal.MemoryRecords kafka =
                org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(ours.buffer());
        final List<Read> read = new ArrayList<>();
        int batches = 0;
        for (MutableRecordBatch batch : kafka.batches()) {
            batches++;
            batch.ensureValid();
            assertThat(batch.isValid()).isTrue();
            assertThat(batch.magic()).isEqualTo(RecordBatch.MAGIC_VALUE_V2);
            assertThat((int) batch.compressionType().id).isEqualTo(type.id());
            assertThat(batch.producerId()).isEqualTo(PRODUCER_ID);
            assertThat(batch.producerEpoch()).isEqualTo(EPOCH);
            assertThat(batch.baseSequence()).isEqualTo(BASE_SEQUENCE);
            assertThat(batch.lastSequence()).isEqualTo(BASE_SEQUENCE + inputs.size() - 1);
            assertThat(batch.countOrNull()).isEqualTo(inputs.size());
            assertThat(batch.baseOffset()).isZero();
            assertThat(batch.lastOffset()).isEqualTo(inputs.size() - 1);
            assertThat(batch.isTransactional()).isFalse();
            assertThat(batch.isControlBatch()).isFalse();
            assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(batch.partitionLeaderEpoch()).isEqualTo(RecordBatch.NO_PARTITION_LEADER_EPOCH);
            assertThat(batch.maxTimestamp()).isEqualTo(inputs.stream().mapToLong(i -> i.timestamp).max().orElse(-1));
            for (Record r : batch) {
                read.add(kafkaRead(r));
            }
        }
        assertThat(batches).isEqualTo(inputs.isEmpty() ? 0 : 1);
        assertThat(read).isEqualTo(TestBatches.expected(inputs, 0));
        assertThat(TestBatches.readAll(ours.buffer())).isEqualTo(TestBatches.expected(inputs, 0));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void batchesKafkaBuildsAreReadIdenticallyBySkiff(CompressionType type, String name) {
        final List<Input> inputs = records(name);
        final long baseOffset = 1000;
        final ByteBuffer kafka = kafkaBatch(type, inputs, baseOffset, TimestampType.CREATE_TIME);
        if (inputs.isEmpty()) {
            assertThat(kafka.remaining()).isZero();
        }
        final BatchIterator batches = new BatchIterator(kafka);
        int count = 0;
        while (batches.hasNext()) {
            final BatchHeader h = batches.next();
            count++;
            assertThat(h.isCrcValid()).isTrue();
            assertThat(h.compressionType()).isEqualTo(type);
            assertThat(h.baseOffset()).isEqualTo(baseOffset);
            assertThat(h.producerId()).isEqualTo(PRODUCER_ID);
            assertThat(h.producerEpoch()).isEqualTo(EPOCH);
            assertThat(h.baseSequence()).isEqualTo(BASE_SEQUENCE);
            assertThat(h.lastSequence()).isEqualTo(BASE_SEQUENCE + inputs.size() - 1);
            assertThat(h.recordCount()).isEqualTo(inputs.size());
            assertThat(h.partitionLeaderEpoch()).isEqualTo(3);
            assertThat(h.isLogAppendTime()).isFalse();
        }
        assertThat(count).isEqualTo(inputs.isEmpty() ? 0 : 1);
        assertThat(TestBatches.readAll(kafka)).isEqualTo(TestBatches.expected(inputs, baseOffset));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void kafkaBatchesWithBaseOffsetZeroPassTheValidator(CompressionType type) {
        final List<Input> inputs = records("nulls-and-headers");
        final ByteBuffer kafka = kafkaBatch(type, inputs, 0, TimestampType.CREATE_TIME);
        final ValidationResult result = BatchValidator.validateProduce(kafka, 1 << 20, (short) 11,
                new ValidationResult());
        assertThat(result.error()).isEqualTo(Errors.NONE);
        assertThat(result.recordCount()).isEqualTo(inputs.size());
        assertThat(result.producerId()).isEqualTo(PRODUCER_ID);
        assertThat(result.producerEpoch()).isEqualTo(EPOCH);
        assertThat(result.baseSequence()).isEqualTo(BASE_SEQUENCE);
        assertThat(result.lastSequence()).isEqualTo(BASE_SEQUENCE + inputs.size() - 1);
        assertThat(result.sourceCompression()).isEqualTo(type);
        assertThat(result.maxTimestamp()).isEqualTo(inputs.stream().mapToLong(i -> i.timestamp).max().orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void logAppendTimeBatchesReadTheMaxTimestampForEveryRecord(CompressionType type) {
        final List<Input> inputs = records("nulls-and-headers");
        final ByteBuffer kafka = kafkaBatch(type, inputs, 0, TimestampType.LOG_APPEND_TIME);
        final List<Read> read = TestBatches.readAll(kafka);
        final List<Read> kafkaRead = new ArrayList<>();
        for (MutableRecordBatch batch
                : org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(kafka.duplicate()).batches()) {
            for (Record r : batch) {
                kafkaRead.add(kafkaRead(r));
            }
        }
        assertThat(read).isEqualTo(kafkaRead);
        assertThat(read).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(LOG_APPEND_TIME));
        assertThat(BatchValidator.validate(kafka, 1 << 20).error()).isEqualTo(Errors.INVALID_TIMESTAMP);
    }

    @Test
    void concatenatedKafkaBatchesOfEveryCodecIterateInOrder() {
        final List<Input> inputs = records("nulls-and-headers");
        final List<ByteBuffer> parts = new ArrayList<>();
        final List<Read> expected = new ArrayList<>();
        long base = 0;
        int total = 0;
        for (CompressionType type : CompressionType.values()) {
            final ByteBuffer part = kafkaBatch(type, inputs, base, TimestampType.CREATE_TIME);
            parts.add(part);
            expected.addAll(TestBatches.expected(inputs, base));
            total += part.remaining();
            base += inputs.size();
        }
        final ByteBuffer all = ByteBuffer.allocate(total);
        parts.forEach(all::put);
        all.flip();
        assertThat(TestBatches.readAll(all)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "block size id {0}, block checksum {1}")
    @MethodSource("lz4Variants")
    void kafkaLz4FramesWithOtherBlockSizesAndChecksumsAreRead(int blockSizeId, boolean blockChecksum)
            throws IOException {
        final List<Input> inputs = records("large");
        final ByteBuffer plain = TestBatches.build(CompressionType.NONE, inputs).buffer();
        final byte[] section = TestBatches.recordsSection(plain);
        final ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream lz4 = new Lz4BlockOutputStream(compressed, blockSizeId, 9, blockChecksum, false)) {
            lz4.write(section);
        }
        final ByteBuffer batch = TestBatches.rewrap(plain, CompressionType.LZ4.id(), compressed.toByteArray());
        assertThat(TestBatches.readAll(batch)).isEqualTo(TestBatches.expected(inputs, 0));
        // And Kafka agrees the hand-made batch is sound.
        org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(batch.duplicate())
                .batches().forEach(RecordBatch::ensureValid);
    }

    static Stream<Arguments> lz4Variants() {
        return Stream.of(Arguments.of(4, true), Arguments.of(5, false), Arguments.of(6, true),
                Arguments.of(7, false));
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void codecsRoundTripWithKafkasStreamsBothWays(CompressionType type) throws IOException {
        final Random random = new Random(type.id());
        for (int size : new int[]{0, 1, 100, 32 * 1024, 64 * 1024 + 1, 300_000}) {
            final byte[] data = new byte[size];
            random.nextBytes(data);
            for (int i = 0; i < size / 2; i++) {
                data[i] = (byte) (i % 13);
            }
            // Skiff compresses, Kafka decompresses.
            final ByteArrayOutput ours = new ByteArrayOutput(16, ByteArrayOutput.MAX_ARRAY_SIZE);
            type.codec().compress(data, 0, size, ours);
            final Compression kafka = Compression.of(type.configName()).build();
            try (InputStream in = kafka.wrapForInput(ByteBuffer.wrap(ours.array(), 0, ours.size()),
                    RecordBatch.MAGIC_VALUE_V2, BufferSupplier.NO_CACHING)) {
                assertThat(in.readAllBytes()).as("%s of %d bytes", type, size).isEqualTo(data);
            }
            // Kafka compresses, Skiff decompresses.
            final ByteBufferOutputStream kafkaOut = new ByteBufferOutputStream(64);
            try (OutputStream out = kafka.wrapForOutput(kafkaOut, RecordBatch.MAGIC_VALUE_V2)) {
                out.write(data);
            }
            final ByteBuffer compressed = kafkaOut.buffer().flip();
            final ByteArrayOutput back = new ByteArrayOutput(16, ByteArrayOutput.MAX_ARRAY_SIZE);
            type.codec().decompress(compressed, back);
            assertThat(java.util.Arrays.copyOf(back.array(), back.size())).as("%s of %d bytes", type, size)
                    .isEqualTo(data);
        }
    }

    private static final long LOG_APPEND_TIME = 1_800_000_000_000L;

    /** A batch written by Kafka's MemoryRecordsBuilder with producer state and leader epoch 3. */
    static ByteBuffer kafkaBatch(CompressionType type, List<Input> inputs, long baseOffset, TimestampType tsType) {
        final MemoryRecordsBuilder builder = org.apache.kafka.common.record.internal.MemoryRecords.builder(
                ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V2, Compression.of(type.configName()).build(),
                tsType, baseOffset,
                tsType == TimestampType.LOG_APPEND_TIME ? LOG_APPEND_TIME : RecordBatch.NO_TIMESTAMP,
                PRODUCER_ID, EPOCH, BASE_SEQUENCE, false, false, 3);
        for (Input in : inputs) {
            final org.apache.kafka.common.header.Header[] headers =
                    new org.apache.kafka.common.header.Header[in.headers.length];
            for (int i = 0; i < headers.length; i++) {
                headers[i] = new RecordHeader(in.headers[i].key(), in.headers[i].value());
            }
            builder.append(in.timestamp, in.key, in.value, headers);
        }
        return builder.build().buffer();
    }

    static Read kafkaRead(Record r) {
        final List<String> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header h : r.headers()) {
            headers.add(header(h.key(), h.value()));
        }
        return new Read(r.offset(), r.timestamp(), hex(r.key()), hex(r.value()), headers);
    }
}

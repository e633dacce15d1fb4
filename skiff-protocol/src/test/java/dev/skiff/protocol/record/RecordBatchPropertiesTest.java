package dev.skiff.protocol.record;

import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.record.TestBatches.Input;
import dev.skiff.protocol.record.TestBatches.Read;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Properties of batches over random records and codecs: round trips (Skiff and Kafka readers agree),
 * every single-bit flip under the CRC is caught, and truncated or damaged input only ever yields
 * INVALID_RECORD (truncation) or CORRUPT_MESSAGE (damage) from the validator or a {@link DecodeException} from the readers.
 */
class RecordBatchPropertiesTest {
    private static final int MAX = 1 << 22;

    @Provide
    Arbitrary<List<Input>> records() {
        return inputs(30, 300);
    }

    @Provide
    Arbitrary<List<Input>> nonEmptyRecords() {
        return inputs(8, 200).filter(l -> !l.isEmpty());
    }

    @Provide
    Arbitrary<List<Tuple2<CompressionType, List<Input>>>> streams() {
        final Arbitrary<Tuple2<CompressionType, List<Input>>> batch = Combinators.combine(
                Arbitraries.of(CompressionType.class), inputs(4, 60).filter(l -> !l.isEmpty())).as(Tuple::of);
        return batch.list().ofMinSize(1).ofMaxSize(3);
    }

    private static Arbitrary<List<Input>> inputs(int maxRecords, int maxBytes) {
        final Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(maxBytes);
        final Arbitrary<byte[]> repetitive = Arbitraries.integers().between(0, maxBytes * 4).map(n -> {
            final byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) ('a' + i % 5);
            }
            return b;
        });
        final Arbitrary<byte[]> bytes = Arbitraries.oneOf(random, repetitive).injectNull(0.2);
        final Arbitrary<String> keys = Arbitraries.strings().alpha().numeric().withChars("-_.éü€✓")
                .ofMaxLength(12);
        final Arbitrary<Header> header = Combinators.combine(keys,
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20).injectNull(0.3)).as(Header::new);
        final Arbitrary<Header[]> headers = header.array(Header[].class).ofMaxSize(3);
        final Arbitrary<Long> timestamps = Arbitraries.oneOf(Arbitraries.just(BatchHeader.NO_TIMESTAMP),
                Arbitraries.longs().between(0, 1L << 42), Arbitraries.longs().between(1_700_000_000_000L,
                        1_700_000_100_000L));
        return Combinators.combine(timestamps, bytes, bytes, headers)
                .as((t, k, v, h) -> new Input(t, k, v, h))
                .list().ofMaxSize(maxRecords);
    }

    @Property(tries = 300)
    void batchesRoundTripThroughSkiffAndKafkaReaders(@ForAll CompressionType type,
                                                     @ForAll("records") List<Input> inputs) {
        final MemoryRecords built = TestBatches.build(type, inputs);
        final List<Read> expected = TestBatches.expected(inputs, 0);
        assertThat(TestBatches.readAll(built.buffer())).isEqualTo(expected);

        final List<Read> kafka = new ArrayList<>();
        for (MutableRecordBatch batch
                : org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(built.buffer()).batches()) {
            batch.ensureValid();
            for (Record r : batch) {
                kafka.add(KafkaCompatibilityTest.kafkaRead(r));
            }
        }
        assertThat(kafka).isEqualTo(expected);

        final ValidationResult result = BatchValidator.validate(built.buffer(), MAX);
        if (inputs.isEmpty()) {
            assertThat(result.error()).isEqualTo(Errors.INVALID_RECORD);
        } else {
            assertThat(result.error()).isEqualTo(Errors.NONE);
            assertThat(result.recordCount()).isEqualTo(inputs.size());
            assertThat(result.sourceCompression()).isEqualTo(type);
        }
    }

    @Property(tries = 1000)
    void everySingleBitFlipUnderTheCrcIsCorruptMessage(@ForAll CompressionType type,
                                                      @ForAll("nonEmptyRecords") List<Input> inputs,
                                                      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
                                                      @ForAll @IntRange(min = 0, max = 7) int bit) {
        final byte[] bytes = TestBatches.toArray(TestBatches.build(type, inputs).buffer());
        // The CRC field itself and everything it covers: attributes .. end of batch.
        final int index = BatchHeader.CRC_OFFSET + where % (bytes.length - BatchHeader.CRC_OFFSET);
        bytes[index] ^= (byte) (1 << bit);
        final ValidationResult result = BatchValidator.validate(ByteBuffer.wrap(bytes), MAX);
        assertThat(result.error()).as("flip at byte %d bit %d", index, bit).isEqualTo(Errors.CORRUPT_MESSAGE);
        // Readers do not check the CRC: they must read the damage or reject it, nothing else.
        readExpectingOnlyDecodeExceptions(ByteBuffer.wrap(bytes), true);
    }

    @Property(tries = 150)
    void everyTruncationOfABatchStreamIsCorruptMessageOrADecodeException(
            @ForAll("streams") List<Tuple2<CompressionType, List<Input>>> spec) {
        final List<byte[]> parts = new ArrayList<>();
        final Set<Integer> boundaries = new HashSet<>();
        int total = 0;
        for (Tuple2<CompressionType, List<Input>> batch : spec) {
            final byte[] part = TestBatches.toArray(TestBatches.build(batch.get1(), batch.get2()).buffer());
            parts.add(part);
            total += part.length;
            boundaries.add(total);
        }
        final byte[] stream = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, stream, at, part.length);
            at += part.length;
        }
        for (int cut = 1; cut < total; cut++) {
            final ByteBuffer truncated = ByteBuffer.wrap(stream, 0, cut);
            final ValidationResult result = BatchValidator.validate(truncated, MAX);
            if (boundaries.contains(cut)) {
                assertThat(result.error()).as("cut at boundary %d", cut).isEqualTo(Errors.NONE);
                TestBatches.readAll(truncated);
            } else {
                assertThat(result.error()).as("cut at %d", cut).isEqualTo(Errors.INVALID_RECORD);
                assertThatThrownBy(() -> TestBatches.readAll(truncated)).as("cut at %d", cut)
                        .isInstanceOf(DecodeException.class);
                final BatchIterator lenient = BatchIterator.lenient(truncated);
                int whole = 0;
                while (lenient.hasNext()) {
                    whole += lenient.next().sizeInBytes();
                }
                assertThat(boundaries.contains(whole) || whole == 0).isTrue();
                assertThat(lenient.partialBytes()).isEqualTo(cut - whole);
            }
        }
    }

    @Property(tries = 500)
    void aTruncatedRecordsSectionIsADecodeException(@ForAll CompressionType type,
                                                    @ForAll("nonEmptyRecords") List<Input> inputs,
                                                    @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where) {
        final byte[] full = TestBatches.toArray(TestBatches.build(type, inputs).buffer());
        final int sectionLength = full.length - BatchHeader.HEADER_SIZE;
        final int keep = where % sectionLength;
        final ByteBuffer cut = ByteBuffer.wrap(Arrays.copyOf(full, BatchHeader.HEADER_SIZE + keep));
        cut.putInt(BatchHeader.LENGTH_OFFSET, cut.limit() - BatchHeader.LOG_OVERHEAD);
        TestBatches.fixCrc(cut, 0);
        // The header still passes: the produce path never parses records.
        assertThat(BatchValidator.validate(cut, MAX).error()).isEqualTo(Errors.NONE);
        assertThatThrownBy(() -> TestBatches.readAll(cut)).isInstanceOf(DecodeException.class);
    }

    @Property(tries = 1000)
    void randomDamageAnywhereNeverEscapesAsAnythingButADecodeException(
            @ForAll CompressionType type, @ForAll("nonEmptyRecords") List<Input> inputs,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> positions,
            @ForAll byte noise) {
        final byte[] bytes = TestBatches.toArray(TestBatches.build(type, inputs).buffer());
        for (int p : positions) {
            bytes[p % bytes.length] ^= (byte) (noise | 1);
        }
        final ValidationResult result = BatchValidator.validate(ByteBuffer.wrap(bytes), MAX);
        assertThat(result.error()).isNotNull();
        // Fix the CRC so that damage inside the records reaches the record parser and the codecs.
        final ByteBuffer fixed = ByteBuffer.wrap(bytes.clone());
        if ((long) fixed.getInt(BatchHeader.LENGTH_OFFSET) + BatchHeader.LOG_OVERHEAD == bytes.length) {
            TestBatches.fixCrc(fixed, 0);
            readExpectingOnlyDecodeExceptions(fixed, false);
        }
        readExpectingOnlyDecodeExceptions(ByteBuffer.wrap(bytes), false);
    }

    private static void readExpectingOnlyDecodeExceptions(ByteBuffer records, boolean lenient) {
        try {
            final BatchIterator batches = lenient ? BatchIterator.lenient(records) : new BatchIterator(records);
            final RecordReader reader = new RecordReader(1 << 20);
            while (batches.hasNext()) {
                reader.open(batches.next());
                while (reader.next()) {
                    reader.key();
                    reader.value();
                    for (int i = 0; i < reader.headerCount(); i++) {
                        reader.headerKey(i);
                        reader.headerValue(i);
                    }
                }
            }
        } catch (DecodeException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } catch (RuntimeException e) {
            fail("a decoder let " + e + " escape", e);
        }
    }
}

package dev.skiff.protocol.record;

import dev.skiff.protocol.record.TestBatches.Input;
import dev.skiff.protocol.record.TestBatches.Read;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A batch rebuilt with a subset of its records reads, in Kafka's own classes, as the original batch minus the
 * dropped records: same offsets, timestamps, keys, values, headers, producer fields and codec.
 */
class RetainedBatchBuilderTest {
    private static final long HORIZON = 1_800_000_000_000L;

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void keptRecordsKeepOffsetsTimestampsAndHeadersAsKafkaReadsThem(CompressionType type) {
        check(type, TimestampType.CREATE_TIME, -1L);
        check(type, TimestampType.CREATE_TIME, HORIZON);
        check(type, TimestampType.LOG_APPEND_TIME, HORIZON);
    }

    private static void check(CompressionType type, TimestampType tsType, long horizon) {
        final List<Input> inputs = KafkaCompatibilityTest.records("nulls-and-headers");
        final long baseOffset = 5_000;
        final ByteBuffer original = KafkaCompatibilityTest.kafkaBatch(type, inputs, baseOffset, tsType);
        final List<Read> all = TestBatches.readAll(original);
        final BatchHeader header = new BatchHeader().wrap(original, 0);

        final RetainedBatchBuilder builder = new RetainedBatchBuilder().open(header, horizon);
        final RecordReader reader = new RecordReader().open(header);
        final List<Read> kept = new ArrayList<>();
        int i = 0;
        while (reader.next()) {
            if (i == 1 || i == 3) {
                builder.append(reader);
                kept.add(all.get(i));
            }
            i++;
        }
        final ByteBuffer rebuilt = builder.build();

        final BatchHeader h = new BatchHeader().wrap(rebuilt, 0);
        assertThat(h.isCrcValid()).isTrue();
        assertThat(RetainedBatchBuilder.deleteHorizonOf(h)).isEqualTo(horizon);
        assertThat(TestBatches.readAll(rebuilt)).isEqualTo(kept);
        final List<Read> kafkaRead = new ArrayList<>();
        final org.apache.kafka.common.record.internal.MemoryRecords kafka =
                org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(rebuilt.duplicate());
        for (MutableRecordBatch batch : kafka.batches()) {
            batch.ensureValid();
            assertThat((int) batch.compressionType().id).isEqualTo(type.id());
            assertThat(batch.baseOffset()).isEqualTo(baseOffset);
            assertThat(batch.lastOffset()).as("the batch still spans its original offsets")
                    .isEqualTo(baseOffset + inputs.size() - 1);
            assertThat(batch.producerId()).isEqualTo(header.producerId());
            assertThat(batch.producerEpoch()).isEqualTo(header.producerEpoch());
            assertThat(batch.baseSequence()).isEqualTo(header.baseSequence());
            assertThat(batch.lastSequence()).isEqualTo(header.lastSequence());
            assertThat(batch.partitionLeaderEpoch()).isEqualTo(header.partitionLeaderEpoch());
            assertThat(batch.timestampType()).isEqualTo(tsType);
            assertThat(batch.countOrNull()).isEqualTo(2);
            if (horizon >= 0) {
                assertThat(batch.deleteHorizonMs()).hasValue(horizon);
            } else {
                assertThat(batch.deleteHorizonMs()).isEmpty();
            }
            for (Record r : batch) {
                kafkaRead.add(KafkaCompatibilityTest.kafkaRead(r));
            }
        }
        assertThat(kafkaRead).isEqualTo(kept);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"NONE", "ZSTD"})
    void anEmptyResultIsNotBuilt(CompressionType type) {
        final ByteBuffer original = KafkaCompatibilityTest.kafkaBatch(type,
                KafkaCompatibilityTest.records("one"), 0, TimestampType.CREATE_TIME);
        final RetainedBatchBuilder builder = new RetainedBatchBuilder().open(new BatchHeader().wrap(original, 0), -1);
        assertThat(builder.recordCount()).isZero();
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
    }
}

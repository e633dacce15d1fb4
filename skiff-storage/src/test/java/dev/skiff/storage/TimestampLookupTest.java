package dev.skiff.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimestampLookupTest {
    private static final TopicPartition TP = new TopicPartition("times", 0);

    @TempDir
    Path dir;
    private final StorageTestSupport.MutableClock clock = new StorageTestSupport.MutableClock(0);
    private LogManager manager;

    @BeforeEach
    void open() {
        manager = LogManager.open(dir, LogConfig.defaults(), clock);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** 30 batches of 5 records; record i has timestamp 100 + 10 * i; small segments and a dense index. */
    private PartitionLog fiveRecordBatches() {
        final PartitionLog log = manager.createLog(TP, StorageTestSupport.small().indexIntervalBytes(0).build());
        for (int b = 0; b < 30; b++) {
            final long first = 100 + 50L * b;
            log.append(TestBatches.batch().timestamps(first, first + 10, first + 20, first + 30, first + 40)
                    .build(), 0);
        }
        assertThat(log.segmentCount()).isGreaterThan(3);
        return log;
    }

    @Test
    void offsetForTimestampFindsTheFirstRecordAtOrAfterIt() {
        final PartitionLog log = fiveRecordBatches();

        assertThat(log.offsetForTimestamp(0)).isEqualTo(new OffsetAndTimestamp(0, 100));
        assertThat(log.offsetForTimestamp(100)).isEqualTo(new OffsetAndTimestamp(0, 100));
        assertThat(log.offsetForTimestamp(115)).isEqualTo(new OffsetAndTimestamp(2, 120));
        assertThat(log.offsetForTimestamp(1001)).isEqualTo(new OffsetAndTimestamp(91, 1010));
        assertThat(log.offsetForTimestamp(1590)).isEqualTo(new OffsetAndTimestamp(149, 1590));
        assertThat(log.offsetForTimestamp(1591)).isNull();
        for (long ts = 95; ts <= 1590; ts += 7) {
            final OffsetAndTimestamp found = log.offsetForTimestamp(ts);
            final long expectedOffset = Math.max(0, (ts - 100 + 9) / 10);
            assertThat(found.offset()).as("timestamp %d", ts).isEqualTo(expectedOffset);
        }
    }

    @Test
    void timestampLookupsWorkAfterARestart() {
        fiveRecordBatches();
        manager.close();
        manager = LogManager.open(dir, LogConfig.defaults(), clock);
        final PartitionLog log = manager.log(TP);

        assertThat(log.offsetForTimestamp(1001)).isEqualTo(new OffsetAndTimestamp(91, 1010));
        assertThat(log.offsetOfMaxTimestamp()).isEqualTo(new OffsetAndTimestamp(149, 1590));
    }

    @Test
    void outOfOrderTimestampsAreHandled() {
        final PartitionLog log = manager.createLog(TP, LogConfig.builder().indexIntervalBytes(0).build());
        log.append(TestBatches.batch().timestamps(500, 100, 900, 300).build(), 0);
        log.append(TestBatches.batch().timestamps(200, 950, 400).build(), 0);
        log.append(TestBatches.batch().timestamps(950, 10).build(), 0);

        assertThat(log.offsetOfMaxTimestamp()).as("the first record with the largest timestamp")
                .isEqualTo(new OffsetAndTimestamp(5, 950));
        assertThat(log.offsetForTimestamp(600)).isEqualTo(new OffsetAndTimestamp(2, 900));
        assertThat(log.offsetForTimestamp(920)).isEqualTo(new OffsetAndTimestamp(5, 950));
    }

    @Test
    void equalTimestampsBeforeTheIndexedOffsetAreFound() {
        final PartitionLog log = manager.createLog(TP, LogConfig.builder().indexIntervalBytes(0).build());
        log.append(TestBatches.batch().timestamps(50).build(), 0);
        log.append(TestBatches.batch().timestamps(60, 100, 100).build(), 0);
        log.append(TestBatches.batch().timestamps(100, 200).build(), 0);

        assertThat(log.offsetForTimestamp(100)).isEqualTo(new OffsetAndTimestamp(2, 100));
        assertThat(log.offsetOfMaxTimestamp()).isEqualTo(new OffsetAndTimestamp(5, 200));
    }

    @Test
    void logAppendTimeAndCompressedBatchesAnswerWithTheirBaseOffset() {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        log.append(TestBatches.batch().count(3, 100).build(), 0);
        log.append(TestBatches.batch().count(4, 10).logAppendTime(5000).build(), 0);
        log.append(TestBatches.batch().count(4, 6000).pretendCompressed().build(), 0);

        assertThat(log.offsetForTimestamp(4000)).isEqualTo(new OffsetAndTimestamp(3, 5000));
        assertThat(log.offsetForTimestamp(6002)).isEqualTo(new OffsetAndTimestamp(7, 6003));
        assertThat(log.offsetOfMaxTimestamp()).isEqualTo(new OffsetAndTimestamp(7, 6003));
    }

    @Test
    void anEmptyLogHasNoTimestamps() {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());

        assertThat(log.offsetForTimestamp(0)).isNull();
        assertThat(log.offsetOfMaxTimestamp()).isNull();
    }

    @Test
    void lookupsSkipSegmentsRemovedByRetention() {
        final PartitionLog log = fiveRecordBatches();
        log.updateConfig(log.config().toBuilder().retentionMs(0).build());
        clock.set(700);
        manager.runRetention();
        assertThat(log.logStartOffset()).isPositive();

        final OffsetAndTimestamp found = log.offsetForTimestamp(0);
        assertThat(found.offset()).isEqualTo(log.logStartOffset());
    }
}

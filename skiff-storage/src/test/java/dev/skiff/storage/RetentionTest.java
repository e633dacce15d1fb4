package dev.skiff.storage;

import static dev.skiff.storage.StorageTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RetentionTest {
    private static final TopicPartition TP = new TopicPartition("retained", 0);
    private static final int BATCH = TestBatches.records(1).remaining();

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

    /** One batch per segment, with record timestamps {@code timestamps}. */
    private PartitionLog logWithSegments(LogConfig.Builder config, long... timestamps) {
        final PartitionLog log = manager.createLog(TP, config.segmentBytes(BATCH).build());
        for (long ts : timestamps) {
            log.append(TestBatches.batch().timestamps(ts).build(), ts);
        }
        assertThat(log.segmentCount()).isEqualTo(timestamps.length);
        return log;
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve(TP.toString()))) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void retentionByTimeDeletesOldSegmentsAndAdvancesLogStartOffset() throws IOException {
        final PartitionLog log = logWithSegments(LogConfig.builder().retentionMs(1500).fileDeleteDelayMs(0),
                1000, 2000, 3000);
        clock.set(3600);

        assertThat(manager.runRetention()).isEqualTo(2);

        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(readAll(log)).hasSize(1);
        assertThatThrownBy(() -> log.read(1, 100)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(files()).noneMatch(f -> f.startsWith("00000000000000000000."))
                .noneMatch(f -> f.startsWith("00000000000000000001."))
                .contains("00000000000000000002.log", "00000000000000000002.snapshot");
        assertThat(manager.runRetention()).as("nothing more is old enough").isZero();
    }

    @Test
    void retentionByBytesKeepsTheLogAtOrBelowTheLimit() {
        final PartitionLog log = logWithSegments(LogConfig.builder().retentionMs(-1)
                .retentionBytes(2L * BATCH + BATCH / 2), 1, 2, 3, 4, 5);

        assertThat(manager.runRetention()).isEqualTo(2);

        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(log.sizeInBytes()).isEqualTo(3L * BATCH);
        assertThat(manager.runRetention()).isZero();
    }

    @Test
    void whenEverySegmentExpiresTheLogRollsAndKeepsAnEmptyActiveSegment() {
        final PartitionLog log = logWithSegments(LogConfig.builder().retentionMs(100), 1000, 1001);
        clock.set(10_000);

        assertThat(manager.runRetention()).isEqualTo(2);

        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.read(2, 100).sizeInBytes()).isZero();
        assertThat(log.append(TestBatches.records(1), 10_000).firstOffset()).isEqualTo(2);
        assertThat(manager.runRetention()).as("the new batch's timestamp is old, yet it is in the active, "
                + "only segment: it goes only after a roll").isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(3);
    }

    @Test
    void fileRecordsStayReadableAfterRetentionDeletesTheirSegment() throws IOException {
        final PartitionLog log = logWithSegments(LogConfig.builder().retentionMs(100).fileDeleteDelayMs(60_000),
                1000, 1001, 10_000_000);
        final FileRecords old = log.read(0, 100);
        final ByteBuffer expected = old.readInto();
        clock.set(100_000);

        assertThat(manager.runRetention()).isEqualTo(2);
        assertThat(files()).contains("00000000000000000000.log.deleted", "00000000000000000000.index.deleted",
                "00000000000000000000.timeindex.deleted");

        assertThat(old.readInto()).isEqualTo(expected);
        clock.advance(60_000);
        manager.runRetention();
        assertThat(files()).noneMatch(f -> f.endsWith(".deleted"));
    }

    @Test
    void theLogStartOffsetSurvivesARestart() {
        logWithSegments(LogConfig.builder().retentionMs(1500), 1000, 2000, 3000);
        clock.set(3600);
        manager.runRetention();
        manager.close();

        manager = LogManager.open(dir, LogConfig.defaults(), clock);
        final PartitionLog log = manager.log(TP);
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void infiniteRetentionKeepsEverything() {
        final PartitionLog log = logWithSegments(LogConfig.builder().retentionMs(-1).retentionBytes(-1), 1, 2, 3);
        clock.set(Long.MAX_VALUE / 2);

        assertThat(manager.runRetention()).isZero();
        assertThat(log.logStartOffset()).isZero();
    }
}

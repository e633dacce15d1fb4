package dev.skiff.storage;

import static dev.skiff.storage.StorageTestSupport.header;
import static dev.skiff.storage.StorageTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;

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
class SegmentRollTest {
    private static final TopicPartition TP = new TopicPartition("roll-test", 3);

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

    private List<String> files(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve(TP.toString()))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void rollsBeforeAnAppendWouldExceedSegmentBytes() throws IOException {
        final int size = TestBatches.records(1).remaining();
        final PartitionLog log = manager.createLog(TP, LogConfig.builder().segmentBytes(3 * size + size / 2).build());

        for (int i = 0; i < 10; i++) {
            log.append(TestBatches.records(1), 0);
        }

        assertThat(log.segmentCount()).isEqualTo(4);
        assertThat(files(".log")).containsExactly("00000000000000000000.log", "00000000000000000003.log",
                "00000000000000000006.log", "00000000000000000009.log");
        assertThat(files(".index")).hasSize(4);
        assertThat(files(".timeindex")).hasSize(4);
        assertThat(Files.size(dir.resolve(TP.toString()).resolve("00000000000000000000.log"))).isEqualTo(3L * size);
        assertThat(readAll(log)).hasSize(10);
        assertThat(header(log.read(7, 1).readInto()).baseOffset()).isEqualTo(7);
    }

    @Test
    void aBatchLargerThanSegmentBytesGetsASegmentOfItsOwn() {
        final PartitionLog log = manager.createLog(TP, LogConfig.builder().segmentBytes(100).build());
        final ByteBuffer big = TestBatches.batch().valueSize(500).build();

        log.append(TestBatches.records(1), 0);
        log.append(big, 0);
        log.append(TestBatches.records(1), 0);

        assertThat(log.segmentCount()).isEqualTo(3);
        assertThat(log.read(1, 10).readInto()).isEqualTo(big);
    }

    @Test
    void rollsWhenTheSegmentIsOlderThanSegmentMs() {
        final PartitionLog log = manager.createLog(TP, LogConfig.builder().segmentMs(1000).build());

        log.append(TestBatches.records(1), 10_000);
        log.append(TestBatches.records(1), 10_500);
        log.append(TestBatches.records(1), 11_000);
        assertThat(log.segmentCount()).isEqualTo(1);

        log.append(TestBatches.records(1), 11_001);
        assertThat(log.segmentCount()).isEqualTo(2);
        log.append(TestBatches.records(1), 11_500);
        assertThat(log.segmentCount()).as("the new segment's clock starts at its first append").isEqualTo(2);
        assertThat(readAll(log)).hasSize(5);
    }

    @Test
    void afterARestartSegmentAgeCountsFromTheFirstBatchTimestamp() {
        final LogConfig config = LogConfig.builder().segmentMs(1000).build();
        manager.createLog(TP, config).append(TestBatches.batch().timestamps(5_000).build(), 5_000);
        manager.close();
        manager = LogManager.open(dir, LogConfig.defaults(), clock);
        final PartitionLog log = manager.log(TP);
        log.updateConfig(config);
        assertThat(log.config()).isEqualTo(config);

        log.append(TestBatches.records(1), 5_900);
        assertThat(log.segmentCount()).isEqualTo(1);
        log.append(TestBatches.records(1), 6_001);
        assertThat(log.segmentCount()).isEqualTo(2);
    }

    @Test
    void rollsWhenAnIndexIsFull() {
        // 24 bytes: 3 offset-index entries, 2 time-index entries of which one is reserved for the final entry.
        final PartitionLog log = manager.createLog(TP, LogConfig.builder().segmentIndexBytes(24)
                .indexIntervalBytes(0).build());

        for (int i = 0; i < 20; i++) {
            log.append(TestBatches.batch().timestamps(1000 + i).build(), 0);
        }

        assertThat(log.segmentCount()).isGreaterThan(5);
        assertThat(readAll(log)).hasSize(20);
        for (long offset = 0; offset < 20; offset++) {
            assertThat(header(log.read(offset, 1).readInto()).baseOffset()).isEqualTo(offset);
        }
    }

    @Test
    void readNeverSpansTwoSegments() {
        final int size = TestBatches.records(1).remaining();
        final PartitionLog log = manager.createLog(TP, LogConfig.builder().segmentBytes(2 * size).build());
        for (int i = 0; i < 6; i++) {
            log.append(TestBatches.records(1), 0);
        }

        assertThat(log.read(0, 100 * size).sizeInBytes()).isEqualTo(2 * size);
        assertThat(log.read(3, 100 * size).sizeInBytes()).isEqualTo(size);
    }
}

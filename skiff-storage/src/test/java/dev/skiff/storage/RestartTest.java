package dev.skiff.storage;

import static dev.skiff.storage.StorageTestSupport.header;
import static dev.skiff.storage.StorageTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.protocol.record.BatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RestartTest {
    private static final TopicPartition TP = new TopicPartition("my-topic-with-dashes", 12);

    @TempDir
    Path root;
    private final StorageTestSupport.MutableClock clock = new StorageTestSupport.MutableClock(0);

    private LogConfig config() {
        return StorageTestSupport.small().build();
    }

    private List<ByteBuffer> fill(PartitionLog log, int batches) {
        for (int i = 0; i < batches; i++) {
            log.append(TestBatches.batch().count(1 + i % 3, 1000 + 10L * i).valueSize(20 + i % 30).build(), i);
        }
        return readAll(log);
    }

    @Test
    void cleanRestartKeepsEverythingAndSkipsTheScan() throws IOException {
        final Path dir = root.resolve("logs");
        final List<ByteBuffer> before;
        final long end;
        final int segments;
        try (LogManager m = LogManager.open(dir, config(), clock)) {
            final PartitionLog log = m.createLog(TP, config());
            before = fill(log, 60);
            end = log.logEndOffset();
            segments = log.segmentCount();
        }
        assertThat(dir.resolve(".skiff_cleanshutdown")).exists();

        try (LogManager m = LogManager.open(dir, config(), clock)) {
            assertThat(dir.resolve(".skiff_cleanshutdown")).as("marker removed on open").doesNotExist();
            final PartitionLog log = m.log(TP);
            assertThat(log.segmentsRecoveredAtLoad()).isZero();
            assertThat(log.logEndOffset()).isEqualTo(end);
            assertThat(log.recoveryPoint()).isEqualTo(end);
            assertThat(log.segmentCount()).isEqualTo(segments).isGreaterThan(3);
            assertThat(readAll(log)).isEqualTo(before);

            final AppendResult next = log.append(TestBatches.records(2), 0);
            assertThat(next.firstOffset()).isEqualTo(end);
        }
    }

    @Test
    void indexesGiveCorrectPositionsAfterRestart() throws IOException {
        final Path dir = root.resolve("logs");
        final Path crashed = root.resolve("crashed");
        final long end;
        try (LogManager m = LogManager.open(dir, config(), clock)) {
            final PartitionLog log = m.createLog(TP, config().toBuilder().indexIntervalBytes(0).build());
            fill(log, 80);
            end = log.logEndOffset();
            StorageTestSupport.crashCopy(dir, crashed);
        }
        for (Path logs : List.of(dir, crashed)) {
            try (LogManager m = LogManager.open(logs, config(), clock)) {
                final PartitionLog log = m.log(TP);
                assertThat(log.logEndOffset()).isEqualTo(end);
                for (long offset = 0; offset < log.logEndOffset(); offset++) {
                    final BatchHeader h = header(log.read(offset, 1).readInto());
                    assertThat(offset).isBetween(h.baseOffset(), h.lastOffset());
                }
            }
            // Both restarts leave trimmed indexes whose entries point at the batches they name.
            assertIndexesMatchLog(logs.resolve(TP.toString()));
        }
    }

    /** Reads the .index and .timeindex files as bytes and checks every entry against the .log file. */
    private static void assertIndexesMatchLog(Path partitionDir) throws IOException {
        final List<Path> logs;
        try (Stream<Path> s = Files.list(partitionDir)) {
            logs = s.filter(p -> p.toString().endsWith(".log")).sorted().collect(Collectors.toList());
        }
        int offsetEntries = 0;
        for (Path logFile : logs) {
            final String name = logFile.getFileName().toString();
            final long base = Long.parseLong(name.substring(0, 20));
            final ByteBuffer log = ByteBuffer.wrap(Files.readAllBytes(logFile));
            final ByteBuffer index = ByteBuffer.wrap(Files.readAllBytes(logFile.resolveSibling(
                    name.replace(".log", ".index"))));
            final ByteBuffer timeIndex = ByteBuffer.wrap(Files.readAllBytes(logFile.resolveSibling(
                    name.replace(".log", ".timeindex"))));
            assertThat(index.remaining() % 8).isZero();
            assertThat(timeIndex.remaining() % 12).isZero();
            while (index.hasRemaining()) {
                final long offset = base + index.getInt();
                final int position = index.getInt();
                final BatchHeader h = new BatchHeader().wrap(log, position);
                assertThat(h.lastOffset()).as("%s entry at %d", name, position).isEqualTo(offset);
                offsetEntries++;
            }
            long previous = Long.MIN_VALUE;
            while (timeIndex.hasRemaining()) {
                final long timestamp = timeIndex.getLong();
                final long offset = base + timeIndex.getInt();
                assertThat(timestamp).isGreaterThan(previous);
                previous = timestamp;
                assertThat(maxTimestampOfBatchEndingAt(log, offset)).isEqualTo(timestamp);
            }
        }
        assertThat(offsetEntries).isPositive();
    }

    private static long maxTimestampOfBatchEndingAt(ByteBuffer log, long lastOffset) {
        int position = 0;
        while (position < log.limit()) {
            final BatchHeader h = new BatchHeader().wrap(log, position);
            if (h.lastOffset() == lastOffset) {
                return h.maxTimestamp();
            }
            position += h.sizeInBytes();
        }
        throw new AssertionError("no batch ends at offset " + lastOffset);
    }

    @Test
    void aCorruptIndexIsRebuiltOnCleanRestart() throws IOException {
        final Path dir = root.resolve("logs");
        final List<ByteBuffer> before;
        try (LogManager m = LogManager.open(dir, config(), clock)) {
            before = fill(m.createLog(TP, config()), 40);
        }
        final Path index = dir.resolve(TP.toString()).resolve("00000000000000000000.index");
        try (FileChannel ch = FileChannel.open(index, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 0x7f, 0, 0, 0}), 0);
        }

        try (LogManager m = LogManager.open(dir, config(), clock)) {
            final PartitionLog log = m.log(TP);
            assertThat(log.segmentsRecoveredAtLoad()).isEqualTo(1);
            assertThat(readAll(log)).isEqualTo(before);
        }
    }

    @Test
    void aMissingIndexIsRebuilt() throws IOException {
        final Path dir = root.resolve("logs");
        final List<ByteBuffer> before;
        try (LogManager m = LogManager.open(dir, config(), clock)) {
            before = fill(m.createLog(TP, config()), 40);
        }
        Files.delete(dir.resolve(TP.toString()).resolve("00000000000000000000.timeindex"));

        try (LogManager m = LogManager.open(dir, config(), clock)) {
            assertThat(m.log(TP).segmentsRecoveredAtLoad()).isEqualTo(1);
            assertThat(readAll(m.log(TP))).isEqualTo(before);
        }
    }

    @Test
    void aSecondManagerCannotOpenTheSameDirectory() {
        final Path dir = root.resolve("logs");
        try (LogManager m = LogManager.open(dir, config(), clock)) {
            assertThat(m.logDir()).isEqualTo(dir);
            assertThatThrownBy(() -> LogManager.open(dir, config(), clock))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
        }
        LogManager.open(dir, config(), clock).close();
    }

    @Test
    void unrelatedEntriesInTheLogDirectoryAreIgnored() throws IOException {
        final Path dir = root.resolve("logs");
        Files.createDirectories(dir.resolve(".skiff-topics"));
        Files.createDirectories(dir.resolve("not_a_partition"));
        Files.writeString(dir.resolve("notes.txt"), "hello");
        try (LogManager m = LogManager.open(dir, config(), clock)) {
            assertThat(m.logs()).isEmpty();
            m.createLog(TP, config()).append(TestBatches.records(1), 0);
        }
        try (LogManager m = LogManager.open(dir, config(), clock)) {
            assertThat(m.logs()).containsOnlyKeys(TP);
        }
    }
}

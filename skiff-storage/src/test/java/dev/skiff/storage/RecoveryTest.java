package dev.skiff.storage;

import static dev.skiff.storage.StorageTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RecoveryTest {
    private static final TopicPartition TP = new TopicPartition("events", 0);

    @TempDir
    Path root;
    private final StorageTestSupport.MutableClock clock = new StorageTestSupport.MutableClock(0);

    enum Damage { LAST_BATCH_CUT_HALF_WAY, GARBAGE_APPENDED, BIT_FLIPPED_IN_LAST_BATCH }

    /** Writes {@code batches} batches, then leaves a crash copy of the directory in {@code crashed}. */
    private List<ByteBuffer> writeAndCrash(Path crashed, LogConfig config, int batches) throws IOException {
        final Path live = root.resolve("live");
        try (LogManager m = LogManager.open(live, config, clock)) {
            final PartitionLog log = m.createLog(TP, config);
            for (int i = 0; i < batches; i++) {
                log.append(TestBatches.batch().count(1 + i % 4, 1000 + i).valueSize(30).build(), i);
            }
            final List<ByteBuffer> written = readAll(log);
            StorageTestSupport.crashCopy(live, crashed);
            return written;
        }
    }

    private static Path lastSegment(Path partitionDir) throws IOException {
        try (var files = Files.list(partitionDir)) {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void appendAfterTornWriteTruncatesToLastValidBatch(Damage damage) throws IOException {
        final Path crashed = root.resolve("crashed");
        final List<ByteBuffer> written = writeAndCrash(crashed, LogConfig.defaults(), 20);
        final ByteBuffer last = written.get(written.size() - 1);
        final long lastBase = StorageTestSupport.header(last).baseOffset();
        final Path segment = lastSegment(crashed.resolve(TP.toString()));
        final long size = Files.size(segment);
        final long lastStart = size - last.remaining();
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            switch (damage) {
                case LAST_BATCH_CUT_HALF_WAY:
                    ch.truncate(lastStart + last.remaining() / 2);
                    break;
                case GARBAGE_APPENDED:
                    ch.write(ByteBuffer.wrap("torn-write-garbage-0123456789abcdef".repeat(3).getBytes()), size);
                    break;
                default:
                    final ByteBuffer b = ByteBuffer.allocate(1);
                    final long at = lastStart + 70;
                    ch.read(b, at);
                    ch.write(ByteBuffer.wrap(new byte[] {(byte) (b.get(0) ^ 0x10)}), at);
            }
        }
        final List<ByteBuffer> expected = damage == Damage.GARBAGE_APPENDED ? written
                : written.subList(0, written.size() - 1);
        final long expectedEnd = damage == Damage.GARBAGE_APPENDED ? StorageTestSupport.header(last).lastOffset() + 1
                : lastBase;

        try (LogManager m = LogManager.open(crashed, LogConfig.defaults(), clock)) {
            final PartitionLog log = m.log(TP);
            assertThat(log.segmentsRecoveredAtLoad()).isEqualTo(1);
            assertThat(log.logEndOffset()).isEqualTo(expectedEnd);
            assertThat(readAll(log)).isEqualTo(expected);

            final AppendResult r = log.append(TestBatches.records(3), 0);
            assertThat(r.firstOffset()).isEqualTo(expectedEnd);
            assertThat(readAll(log)).hasSize(expected.size() + 1);
        }
        try (LogManager m = LogManager.open(crashed, LogConfig.defaults(), clock)) {
            assertThat(m.log(TP).segmentsRecoveredAtLoad()).isZero();
            assertThat(m.log(TP).logEndOffset()).isEqualTo(expectedEnd + 3);
        }
    }

    @Test
    void uncleanRestartScansOnlyFromTheRecoveryPoint() throws Exception {
        final Path live = root.resolve("live");
        final Path crashed = root.resolve("crashed");
        final LogConfig config = StorageTestSupport.small().build();
        final List<ByteBuffer> written;
        try (LogManager m = LogManager.open(live, config, clock)) {
            final PartitionLog log = m.createLog(TP, config);
            for (int i = 0; i < 40; i++) {
                log.append(TestBatches.batch().valueSize(50).build(), i);
            }
            log.flushUpTo(log.logEndOffset()).get(10, TimeUnit.SECONDS);
            m.checkpointRecoveryPoints();
            log.append(TestBatches.batch().valueSize(50).build(), 0);
            written = readAll(log);
            assertThat(log.segmentCount()).isGreaterThan(3);
            StorageTestSupport.crashCopy(live, crashed);
        }

        try (LogManager m = LogManager.open(crashed, config, clock)) {
            final PartitionLog log = m.log(TP);
            assertThat(log.segmentsRecoveredAtLoad()).as("only the segment holding the recovery point").isEqualTo(1);
            assertThat(readAll(log)).isEqualTo(written);
        }
    }

    @Test
    void corruptionInAnEarlierSegmentDropsEveryLaterSegment() throws IOException {
        final Path crashed = root.resolve("crashed");
        final LogConfig config = StorageTestSupport.small().build();
        final List<ByteBuffer> written = writeAndCrash(crashed, config, 40);
        Files.deleteIfExists(crashed.resolve("recovery-point-offset-checkpoint"));
        final Path partition = crashed.resolve(TP.toString());
        final List<Path> segments = new ArrayList<>();
        try (var files = Files.list(partition)) {
            files.filter(p -> p.toString().endsWith(".log")).sorted().forEach(segments::add);
        }
        assertThat(segments.size()).isGreaterThan(3);
        final Path second = segments.get(1);
        final long secondBase = Long.parseLong(second.getFileName().toString().substring(0, 20));
        try (FileChannel ch = FileChannel.open(second, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {99}), Files.size(second) - 1);
        }

        try (LogManager m = LogManager.open(crashed, config, clock)) {
            final PartitionLog log = m.log(TP);
            assertThat(log.segmentCount()).isEqualTo(2);
            final List<ByteBuffer> kept = readAll(log);
            assertThat(kept).isEqualTo(written.subList(0, kept.size()));
            assertThat(log.logEndOffset()).isGreaterThanOrEqualTo(secondBase);
            assertThat(StorageTestSupport.header(kept.get(kept.size() - 1)).lastOffset() + 1)
                    .isEqualTo(log.logEndOffset());
        }
        assertThat(segments.get(2)).doesNotExist();
    }
}

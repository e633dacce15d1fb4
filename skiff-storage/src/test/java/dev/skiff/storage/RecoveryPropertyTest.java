package dev.skiff.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.skiff.protocol.record.BatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Recovery keeps exactly the longest valid prefix of a log, whatever the damage and wherever it lands: the
 * test computes that prefix independently from the undamaged files.
 */
class RecoveryPropertyTest {
    private static final TopicPartition TP = new TopicPartition("prop", 0);

    enum Damage { CUT, FLIP, GARBAGE }

    /** One batch as found in the undamaged segment files. */
    private record Batch(int segment, int position, ByteBuffer bytes) {
        long lastOffset() {
            return new BatchHeader().wrap(bytes, 0).lastOffset();
        }
    }

    @Property(tries = 120)
    void recoveryKeepsExactlyTheLongestValidPrefix(
            @ForAll @Size(min = 1, max = 25) List<@IntRange(min = 1, max = 4) Integer> recordCounts,
            @ForAll @IntRange(min = 0, max = 120) int valueSize,
            @ForAll @IntRange(min = 100, max = 1200) int segmentBytes,
            @ForAll Damage damage,
            @ForAll @IntRange(min = 0, max = 1_000_000) int where) throws IOException {
        final Path root = Files.createTempDirectory("skiff-recovery-property");
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> check(root, recordCounts, valueSize, segmentBytes, damage, where));
        } finally {
            StorageTestSupport.deleteTree(root);
        }
    }

    private void check(Path root, List<Integer> recordCounts, int valueSize, int segmentBytes, Damage damage,
                       int where) throws IOException {
        final StorageTestSupport.MutableClock clock = new StorageTestSupport.MutableClock(0);
        final LogConfig config = LogConfig.builder().segmentBytes(segmentBytes).indexIntervalBytes(64).build();
        final Path live = root.resolve("live");
        final Path crashed = root.resolve("crashed");
        try (LogManager m = LogManager.open(live, config, clock)) {
            final PartitionLog log = m.createLog(TP, config);
            long ts = 1_000;
            for (int count : recordCounts) {
                log.append(TestBatches.batch().count(count, ts).valueSize(valueSize).build(), ts);
                ts += 10;
            }
            StorageTestSupport.crashCopy(live, crashed);
        }
        // Without a recovery point every segment is scanned, so damage anywhere must be found.
        Files.deleteIfExists(crashed.resolve("recovery-point-offset-checkpoint"));

        final Path partition = crashed.resolve(TP.toString());
        final List<Path> files = new ArrayList<>();
        try (var s = Files.list(partition)) {
            s.filter(p -> p.toString().endsWith(".log")).sorted().forEach(files::add);
        }
        final List<Batch> batches = new ArrayList<>();
        long totalBytes = 0;
        for (int k = 0; k < files.size(); k++) {
            final ByteBuffer content = ByteBuffer.wrap(Files.readAllBytes(files.get(k)));
            for (ByteBuffer b : StorageTestSupport.splitBatches(content)) {
                batches.add(new Batch(k, (int) totalBytes(batches, k), TestBatches.copy(b)));
            }
            totalBytes += content.limit();
        }
        assertThat(batches).hasSize(recordCounts.size());

        // Pick the damaged byte: the where-th byte of all segment files laid end to end.
        long target = where % totalBytes;
        int segment = 0;
        while (target >= Files.size(files.get(segment))) {
            target -= Files.size(files.get(segment));
            segment++;
        }
        final int position = (int) target;
        final Random random = new Random(where);
        int survivors;
        try (FileChannel ch = FileChannel.open(files.get(segment), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            switch (damage) {
                case CUT:
                    ch.truncate(position);
                    survivors = countBefore(batches, segment, position, false);
                    break;
                case FLIP:
                    final ByteBuffer one = ByteBuffer.allocate(1);
                    ch.read(one, position);
                    final byte flipped = (byte) (one.get(0) ^ (1 << random.nextInt(8)));
                    ch.write(ByteBuffer.wrap(new byte[] {flipped}), position);
                    survivors = countBefore(batches, segment, position, true);
                    if (survivors == batches.size()) {
                        // The epoch field changed and stays changed: expect the damaged bytes back.
                        final Batch hit = batchAt(batches, segment, position);
                        hit.bytes().put(position - hit.position(), flipped);
                    }
                    break;
                default:
                    final byte[] garbage = new byte[1 + random.nextInt(64)];
                    random.nextBytes(garbage);
                    ch.write(ByteBuffer.wrap(garbage), ch.size());
                    survivors = batches.size();
            }
        }

        try (LogManager m = LogManager.open(crashed, config, clock)) {
            final PartitionLog log = m.log(TP);
            final long expectedEnd = survivors == 0 ? 0 : batches.get(survivors - 1).lastOffset() + 1;
            assertThat(log.logEndOffset()).as("%s at byte %d of segment %d", damage, position, segment)
                    .isEqualTo(expectedEnd);
            final List<ByteBuffer> expected = new ArrayList<>();
            for (int i = 0; i < survivors; i++) {
                expected.add(batches.get(i).bytes());
            }
            assertThat(StorageTestSupport.readAll(log)).isEqualTo(expected);
            assertThat(log.append(TestBatches.records(1), 0).firstOffset()).isEqualTo(expectedEnd);
        }
    }

    private static Batch batchAt(List<Batch> batches, int segment, int position) {
        for (Batch b : batches) {
            final int end = b.position() + b.bytes().remaining();
            if (b.segment() == segment && position >= b.position() && position < end) {
                return b;
            }
        }
        throw new AssertionError("no batch at byte " + position + " of segment " + segment);
    }

    /** Position of the next batch within segment {@code k}, given the batches found so far. */
    private static long totalBytes(List<Batch> batches, int k) {
        long position = 0;
        for (Batch b : batches) {
            if (b.segment() == k) {
                position = b.position() + b.bytes().remaining();
            }
        }
        return position;
    }

    /**
     * Batches that survive damage at {@code position} of segment {@code segment}: all batches of earlier
     * segments plus those of that segment lying wholly before the damage. A flipped bit in the
     * partitionLeaderEpoch field is the one change no check can see, so it destroys nothing.
     */
    private static int countBefore(List<Batch> batches, int segment, int position, boolean flip) {
        int count = 0;
        for (Batch b : batches) {
            if (b.segment() < segment) {
                count++;
                continue;
            }
            if (b.segment() > segment) {
                break;
            }
            final int end = b.position() + b.bytes().remaining();
            if (flip && position >= b.position() && position < end) {
                final int inBatch = position - b.position();
                if (inBatch >= BatchHeader.PARTITION_LEADER_EPOCH_OFFSET
                        && inBatch < BatchHeader.PARTITION_LEADER_EPOCH_OFFSET + 4) {
                    return batches.size();
                }
                return count;
            }
            if (end > position) {
                return count;
            }
            count++;
        }
        return count;
    }
}

package dev.skiff.storage;

import static dev.skiff.storage.CompactionTestSupport.record;
import static dev.skiff.storage.CompactionTestSupport.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.skiff.storage.CompactionTestSupport.Rec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the interleaving of keyed writes, tombstones, compaction passes and restarts (clean or not), reading a
 * compacted log from the start and applying each record to a map gives the same map as the writes did, every
 * record read sits at the offset it was written at with the value written there, and offsets strictly increase.
 */
class CompactionPropertyTest {
    private static final TopicPartition TP = new TopicPartition("prop", 0);
    private static final int KEYS = 6;

    @Property(tries = 60)
    void compactedLogReadsLikeTheMapOfLastValues(
            @ForAll @Size(min = 1, max = 120) List<@IntRange(min = 0, max = 19) Integer> ops,
            @ForAll @IntRange(min = 200, max = 900) int segmentBytes,
            @ForAll boolean expireTombstones) throws IOException {
        final Path root = Files.createTempDirectory("skiff-compaction-property");
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> check(root, ops, segmentBytes, expireTombstones));
        } finally {
            StorageTestSupport.deleteTree(root);
        }
    }

    private void check(Path root, List<Integer> ops, int segmentBytes, boolean expireTombstones)
            throws IOException {
        final StorageTestSupport.MutableClock clock = new StorageTestSupport.MutableClock(0);
        final LogConfig config = CompactionTestSupport.compacted().segmentBytes(segmentBytes)
                .minCleanableDirtyRatio(0.0).deleteRetentionMs(expireTombstones ? 0 : Long.MAX_VALUE / 4).build();
        final Map<String, String> expected = new HashMap<>();
        final Map<Long, Rec> writtenAt = new HashMap<>();
        Path dir = root.resolve("log");
        LogManager m = LogManager.open(dir, config, clock);
        try {
            PartitionLog log = m.createLog(TP, config);
            long now = 1;
            for (int i = 0; i < ops.size(); i++) {
                final int op = ops.get(i);
                now++;
                if (op < 15) {
                    final String key = "key-" + op % KEYS;
                    final String value = op < 12 ? "value-" + i : null;
                    final long offset = log.append(record(key, value, now), now).firstOffset();
                    writtenAt.put(offset, new Rec(offset, key, value, now));
                    if (value == null) {
                        expected.remove(key);
                    } else {
                        expected.put(key, value);
                    }
                } else if (op < 18) {
                    log.compact(now);
                } else if (op == 18) {
                    // kill -9: continue in a copy of the directory as the crash left it.
                    final Path crashed = root.resolve("crash-" + i);
                    StorageTestSupport.crashCopy(dir, crashed);
                    m.close();
                    dir = crashed;
                    m = LogManager.open(dir, config, clock);
                    log = m.log(TP);
                } else {
                    m.close();
                    m = LogManager.open(dir, config, clock);
                    log = m.log(TP);
                }
            }
            log.compact(now + 1);
            final Map<String, String> replayed = new HashMap<>();
            for (Rec r : records(log)) {
                assertThat(r).as("record at offset %d", r.offset()).isEqualTo(writtenAt.get(r.offset()));
                if (r.value() == null) {
                    replayed.remove(r.key());
                } else {
                    replayed.put(r.key(), r.value());
                }
            }
            assertThat(replayed).isEqualTo(expected);
        } finally {
            m.close();
        }
    }
}

package dev.skiff.storage.internal;

import dev.skiff.storage.TopicPartition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code <logDir>/cleaner-offset-checkpoint}: per compacted partition, the offset below which the log has been
 * cleaned at least once, in Kafka's text format (the same as {@link RecoveryPointCheckpoint}'s).
 *
 * <pre>
 *  0                      version
 *  1                      number of entries
 *  __consumer_offsets 0 5120   topic SPACE partition SPACE first dirty offset
 * </pre>
 *
 * Two uses. The cleaner starts its next pass there, so work is not redone after a restart, and the dirty ratio
 * is measured from it. And {@link LogLoader} allows offset gaps only in segments below it: compaction removes
 * records but never renumbers them, while everywhere else a gap means damage. The cleaner therefore writes the
 * new value <em>before</em> it commits a swap. A crash between the two leaves the checkpoint ahead of what was
 * really rewritten; that costs only some duplicates staying until their key is written again, never data.
 * Thread-safe.
 */
public final class CleanerCheckpoint {
    private final Path logDir;
    private final ConcurrentHashMap<TopicPartition, Long> offsets;

    private CleanerCheckpoint(Path logDir, Map<TopicPartition, Long> offsets) {
        this.logDir = logDir;
        this.offsets = new ConcurrentHashMap<>(offsets);
    }

    /** Reads the file of {@code logDir} (empty when missing or malformed). */
    public static CleanerCheckpoint load(Path logDir) {
        return new CleanerCheckpoint(logDir,
                RecoveryPointCheckpoint.read(logDir, LogFileNames.CLEANER_CHECKPOINT_FILE));
    }

    /** The first offset not yet cleaned, or 0 when the log was never cleaned. */
    public long get(TopicPartition tp) {
        return offsets.getOrDefault(tp, 0L);
    }

    /** Records {@code firstDirtyOffset} for {@code tp} and rewrites the file before returning. */
    public synchronized void update(TopicPartition tp, long firstDirtyOffset) throws IOException {
        offsets.put(tp, firstDirtyOffset);
        write();
    }

    /** Forgets {@code tp} (its log was deleted). */
    public synchronized void remove(TopicPartition tp) throws IOException {
        if (offsets.remove(tp) != null) {
            write();
        }
    }

    private void write() throws IOException {
        RecoveryPointCheckpoint.write(logDir, LogFileNames.CLEANER_CHECKPOINT_FILE, new HashMap<>(offsets));
    }
}

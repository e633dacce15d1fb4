package dev.skiff.storage.internal;

import dev.skiff.storage.CompactionResult;
import dev.skiff.storage.LogConfig;
import dev.skiff.storage.LogStorageException;
import dev.skiff.storage.TopicPartition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition log's compaction (cleanup.policy=compact): decides whether a pass is due, runs it, and swaps the
 * cleaned segments in.
 *
 * <p>Design note: a pass reads only closed segments, which never change, so it runs without the log's lock and
 * appends carry on; the lock is taken only to take a snapshot of the segment list and, per replaced group, for
 * the swap itself, where retention may have removed a segment meanwhile (the group is then abandoned). Offsets
 * never change: records are removed, never renumbered, so reads of a removed offset return the next record.
 *
 * <p>A pass, as in Kafka:
 * <ol>
 *   <li>Cleanable segments: the closed ones (never the active one) up to the first whose largest timestamp is
 *       younger than min.compaction.lag.ms. Dirty bytes are those from the cleaner checkpoint on
 *       ({@link CleanerCheckpoint}); the pass is due when dirty / cleanable bytes reaches
 *       min.cleanable.dirty.ratio, when the first dirty batch is older than max.compaction.lag.ms, or when a kept
 *       tombstone's delete horizon has passed.</li>
 *   <li>The dirty segments' keys go into an {@link OffsetMap} (key to highest offset); should it grow past
 *       {@link #MAX_MAP_BYTES} the dirty range ends after the segment being indexed.</li>
 *   <li>Every segment from the log start to the end of that range is rewritten ({@link SegmentCleaner}), runs of
 *       adjacent segments merged into one ({@link SegmentGroups}), each into a {@code <base>.log.cleaned} with
 *       fresh indexes, fsync'd.</li>
 *   <li>The cleaner checkpoint moves to the end of the range, then each group is swapped in crash-safely (the
 *       protocol is in {@link SwapRecovery}); the replaced segments go to the {@link SegmentDeleter}, so reads
 *       holding them keep working for file.delete.delay.ms.</li>
 * </ol>
 * Thread-safe: passes of one log are serialised.
 */
public final class LogCompactor {
    /** Key-map memory after which a pass stops adding dirty segments (Kafka's log.cleaner.dedupe.buffer.size). */
    static final long MAX_MAP_BYTES = 128L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LogCompactor.class);

    private final TopicPartition topicPartition;
    private final Path dir;
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final ReentrantLock lock;
    private final Supplier<LogEnd> end;
    private final LongSupplier logStartOffset;
    private final BooleanSupplier closed;
    private final SegmentDeleter deleter;
    private final CleanerCheckpoint checkpoint;
    /** The earliest delete horizon of a tombstone kept by the last pass, or -1; in memory only, as in Kafka. */
    private volatile long tombstoneHorizon = -1L;

    /**
     * @param lock the log's lock, held for the segment snapshot and the swaps
     */
    public LogCompactor(TopicPartition topicPartition, Path dir, ConcurrentSkipListMap<Long, LogSegment> segments,
                        ReentrantLock lock, Supplier<LogEnd> end, LongSupplier logStartOffset, BooleanSupplier closed,
                        SegmentDeleter deleter, CleanerCheckpoint checkpoint) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.segments = segments;
        this.lock = lock;
        this.end = end;
        this.logStartOffset = logStartOffset;
        this.closed = closed;
        this.deleter = deleter;
        this.checkpoint = checkpoint;
    }

    /**
     * Runs one pass if it is due (see the class comment).
     *
     * @throws LogStorageException if reading or writing segments failed; the log is left as it was, or with some
     *                             groups swapped, both consistent
     */
    public synchronized CompactionResult compact(LogConfig config, long nowMs) {
        final long firstDirtyKnown = checkpoint.get(topicPartition);
        if (!config.compact()) {
            return CompactionResult.notCleaned(0.0, firstDirtyKnown);
        }
        final List<LogSegment> closedSegments;
        final long activeBase;
        final long logStart;
        lock.lock();
        try {
            if (closed.getAsBoolean()) {
                return CompactionResult.notCleaned(0.0, firstDirtyKnown);
            }
            activeBase = end.get().segment().baseOffset();
            closedSegments = new ArrayList<>(segments.headMap(activeBase, false).values());
            logStart = logStartOffset.getAsLong();
        } finally {
            lock.unlock();
        }
        final long firstDirty = Math.max(firstDirtyKnown, logStart);
        try {
            int cleanable = closedSegments.size();
            if (config.minCompactionLagMs() > 0) {
                for (int i = 0; i < closedSegments.size(); i++) {
                    if (nowMs - closedSegments.get(i).largestTimestamp() < config.minCompactionLagMs()) {
                        cleanable = i;
                        break;
                    }
                }
            }
            final List<LogSegment> candidates = closedSegments.subList(0, cleanable);
            final long cleanableEnd = cleanable < closedSegments.size() ? closedSegments.get(cleanable).baseOffset()
                    : activeBase;
            long cleanBytes = 0;
            long dirtyBytes = 0;
            int firstDirtyIndex = candidates.size();
            for (int i = 0; i < candidates.size(); i++) {
                final long segmentEnd = i + 1 < candidates.size() ? candidates.get(i + 1).baseOffset() : cleanableEnd;
                if (segmentEnd <= firstDirty) {
                    cleanBytes += candidates.get(i).size();
                } else {
                    firstDirtyIndex = Math.min(firstDirtyIndex, i);
                    dirtyBytes += candidates.get(i).size();
                }
            }
            final double ratio = cleanBytes + dirtyBytes == 0 ? 0.0 : (double) dirtyBytes / (cleanBytes + dirtyBytes);
            if (candidates.isEmpty() || !isDue(config, nowMs, candidates, firstDirtyIndex, dirtyBytes, ratio)) {
                return CompactionResult.notCleaned(ratio, firstDirty);
            }
            return clean(config, nowMs, candidates, cleanableEnd, firstDirtyIndex, firstDirty, ratio);
        } catch (IOException e) {
            throw new LogStorageException("Compaction of " + topicPartition + " failed", e);
        }
    }

    private boolean isDue(LogConfig config, long nowMs, List<LogSegment> candidates, int firstDirtyIndex,
                          long dirtyBytes, double ratio) throws IOException {
        if (dirtyBytes > 0 && ratio >= config.minCleanableDirtyRatio()) {
            return true;
        }
        if (firstDirtyIndex < candidates.size() && config.maxCompactionLagMs() < Long.MAX_VALUE) {
            final long first = candidates.get(firstDirtyIndex).firstBatchTimestamp();
            if (first >= 0 && nowMs - first > config.maxCompactionLagMs()) {
                return true;
            }
        }
        final long horizon = tombstoneHorizon;
        return horizon >= 0 && nowMs >= horizon;
    }

    private CompactionResult clean(LogConfig config, long nowMs, List<LogSegment> candidates, long cleanableEnd,
                                   int firstDirtyIndex, long firstDirty, double ratio) throws IOException {
        final OffsetMap map = new OffsetMap();
        final SegmentCleaner cleaner = new SegmentCleaner();
        int rewriteCount = firstDirtyIndex;
        long dirtyEnd = firstDirty;
        for (int i = firstDirtyIndex; i < candidates.size(); i++) {
            cleaner.index(candidates.get(i), firstDirty, map);
            rewriteCount = i + 1;
            dirtyEnd = i + 1 < candidates.size() ? candidates.get(i + 1).baseOffset() : cleanableEnd;
            if (map.memoryBytes() > MAX_MAP_BYTES) {
                break;
            }
        }
        final List<LogSegment> rewrite = candidates.subList(0, rewriteCount);
        final long rewriteEnd = rewriteCount < candidates.size() ? candidates.get(rewriteCount).baseOffset()
                : cleanableEnd;
        final List<List<LogSegment>> groups = new ArrayList<>();
        final List<LogSegment> outputs = new ArrayList<>();
        long bytesBefore = 0;
        try {
            LogSegment out = null;
            for (int i = 0; i < rewrite.size(); i++) {
                final LogSegment s = rewrite.get(i);
                final long next = i + 1 < rewrite.size() ? rewrite.get(i + 1).baseOffset() : rewriteEnd;
                if (out == null || !SegmentGroups.fits(out, s, next, config.segmentBytes(),
                        config.segmentIndexBytes())) {
                    if (out != null) {
                        finish(out);
                    }
                    out = LogSegment.createCleaned(dir, s.baseOffset(), config.segmentIndexBytes());
                    outputs.add(out);
                    groups.add(new ArrayList<>());
                }
                groups.get(groups.size() - 1).add(s);
                bytesBefore += s.size();
                cleaner.clean(s, out, map, nowMs, config.deleteRetentionMs(), config.indexIntervalBytes());
            }
            if (out != null) {
                finish(out);
            }
            // Before any swap: segments below the checkpoint may have gaps, and the loader must know that.
            checkpoint.update(topicPartition, Math.max(firstDirty, dirtyEnd));
        } catch (IOException | RuntimeException e) {
            discard(outputs, 0);
            throw e;
        }
        long bytesAfter = 0;
        int swapped = 0;
        for (int g = 0; g < groups.size(); g++) {
            final LogSegment out = outputs.get(g);
            final boolean ok;
            try {
                ok = swap(groups.get(g), out, nowMs, config);
            } catch (IOException | RuntimeException e) {
                discard(outputs, g + 1);
                throw e;
            }
            if (ok) {
                swapped++;
                bytesAfter += out.size();
            } else {
                LOG.debug("Segments of {} changed during compaction; abandoning the group at {}", topicPartition,
                        out.baseOffset());
                discardOne(out);
            }
        }
        tombstoneHorizon = cleaner.earliestHorizon();
        LOG.info("Compacted {}: {} segment(s) of {} bytes into {} of {} bytes, {} record(s) removed, dirty ratio was "
                + "{}, cleaned up to offset {}", topicPartition, rewrite.size(), bytesBefore, swapped, bytesAfter,
                cleaner.recordsRemoved(), String.format("%.2f", ratio), Math.max(firstDirty, dirtyEnd));
        return new CompactionResult(swapped > 0, ratio, firstDirty, Math.max(firstDirty, dirtyEnd), bytesBefore,
                bytesAfter, rewrite.size(), swapped, cleaner.recordsRemoved());
    }

    /** Closes a cleaned segment: final time-index entry, trimmed indexes, everything fsync'd. */
    private static void finish(LogSegment out) throws IOException {
        out.onBecomeInactive();
        out.flush();
        out.flushIndexes();
    }

    /**
     * Replaces {@code group} by {@code cleaned} under the log's lock, following the protocol of {@link SwapRecovery}.
     *
     * @return false if a segment of the group is no longer in the log (retention removed it, or the log closed)
     */
    private boolean swap(List<LogSegment> group, LogSegment cleaned, long nowMs, LogConfig config)
            throws IOException {
        lock.lock();
        try {
            if (closed.getAsBoolean()) {
                return false;
            }
            for (LogSegment s : group) {
                if (segments.get(s.baseOffset()) != s) {
                    return false;
                }
            }
            cleaned.renameFiles(dir, LogFileNames.SWAP_SUFFIX);
            LogFileNames.fsyncDirectory(dir);
            // One put replaces the group's first segment, so a reader's floorEntry never finds a hole.
            segments.put(cleaned.baseOffset(), cleaned);
            for (int i = 1; i < group.size(); i++) {
                segments.remove(group.get(i).baseOffset());
            }
            for (LogSegment s : group) {
                s.renameForDeletion();
                deleter.schedule(s, nowMs + config.fileDeleteDelayMs(), nowMs);
            }
            cleaned.renameFiles(dir, "");
            LogFileNames.fsyncDirectory(dir);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void discard(List<LogSegment> outputs, int from) {
        for (int i = from; i < outputs.size(); i++) {
            discardOne(outputs.get(i));
        }
    }

    private void discardOne(LogSegment out) {
        try {
            out.closeAndDelete();
        } catch (IOException e) {
            // A leftover .cleaned file is deleted at the next load.
            LOG.warn("Could not delete {}", out, e);
        }
    }
}

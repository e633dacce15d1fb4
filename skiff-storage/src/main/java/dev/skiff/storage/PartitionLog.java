package dev.skiff.storage;

import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.record.BatchHeader;
import dev.skiff.storage.internal.CleanerCheckpoint;
import dev.skiff.storage.internal.Flusher;
import dev.skiff.storage.internal.KeylessRecordCheck;
import dev.skiff.storage.internal.LoadedLog;
import dev.skiff.storage.internal.LogCompactor;
import dev.skiff.storage.internal.LogEnd;
import dev.skiff.storage.internal.LogDurability;
import dev.skiff.storage.internal.LogFileNames;
import dev.skiff.storage.internal.LogSegment;
import dev.skiff.storage.internal.ProducerSnapshotFile;
import dev.skiff.storage.internal.ProducerStateTable;
import dev.skiff.storage.internal.RetentionRules;
import dev.skiff.storage.internal.SegmentDeleter;
import dev.skiff.storage.internal.TimestampSearch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's log: a directory of segments, each a file of record batches with its indexes (layouts in
 * {@link LogManager}), plus the partition's idempotent-producer state.
 *
 * <p><b>Writing.</b> There is a single writer: callers serialise {@link #append} (one event loop, or a lock of
 * the caller's), which an assertion checks. Batches arrive already validated (framing, magic 2, CRC); the log
 * writes each batch's base offset into the caller's buffer in place and writes the bytes unchanged, so the CRC
 * stays valid and nothing is re-encoded. Roll, retention and close take an internal lock, so they may run on
 * other threads (a retention scheduler) without disturbing the writer.
 *
 * <p><b>Reading.</b> {@link #read}, {@link #offsetForTimestamp}, {@link #offsetOfMaxTimestamp} and the offset
 * getters may be called from any number of threads while appends continue. The writer publishes the log end
 * (offset, segment, position) as one immutable value after the bytes and index entries are in place; readers
 * start from that value and never look past it, so they see only whole batches.
 *
 * <p><b>Durability.</b> An append returns once its bytes are in the OS page cache (acks=1). {@link #flushUpTo}
 * asks the manager's flusher thread to fsync them (acks=all); the caller's thread never fsyncs. Below the
 * {@linkplain #recoveryPoint() recovery point} everything is on disk.
 *
 * <p><b>Compaction.</b> With cleanup.policy containing {@code compact}, every appended record needs a key
 * ({@link AppendResult.Status#INVALID_RECORD} otherwise) and {@link #compact} (run by the manager's cleaner
 * thread) keeps only the latest record per key in the closed segments. Offsets never change, so a compacted log
 * has gaps: {@link #read} of a removed offset returns the batch of the next record that is still there.
 * Retention by time and size applies only when the policy contains {@code delete}.
 */
public final class PartitionLog {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    private final TopicPartition topicPartition;
    private final Path dir;
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final ProducerStateTable producers;
    private final Flusher flusher;
    private final SegmentDeleter deleter;
    private final int segmentsRecoveredAtLoad;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean appending = new AtomicBoolean();
    private final BatchHeader header = new BatchHeader();
    private final LogDurability durability;
    private final LogCompactor compactor;
    private KeylessRecordCheck keylessCheck;
    private int[] batchStarts = new int[8];
    private volatile LogConfig config;
    private volatile LogEnd end;
    private volatile long logStartOffset;
    private volatile boolean closed;

    PartitionLog(TopicPartition topicPartition, Path dir, LogConfig config, LoadedLog loaded, Flusher flusher,
                 SegmentDeleter deleter, CleanerCheckpoint cleanerCheckpoint) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.config = config;
        this.segments = loaded.segments();
        this.producers = loaded.producers();
        this.flusher = flusher;
        this.deleter = deleter;
        this.segmentsRecoveredAtLoad = loaded.segmentsRecovered();
        final LogSegment active = segments.lastEntry().getValue();
        this.end = new LogEnd(loaded.logEndOffset(), active, active.size());
        this.logStartOffset = segments.firstKey();
        this.durability = new LogDurability(topicPartition.toString(), dir, segments, () -> end, () -> closed,
                loaded.logEndOffset());
        this.compactor = new LogCompactor(topicPartition, dir, segments, lock, () -> end, () -> logStartOffset,
                () -> closed, deleter, cleanerCheckpoint);
    }

    /**
     * Appends the record batches between {@code batches.position()} and {@code batches.limit()}.
     *
     * <p>Each batch's baseOffset is overwritten in place with the offset it gets; the buffer's position and limit
     * are left as they were. Batches of idempotent producers are first checked against the producer state: a
     * retry is answered {@link AppendResult.Status#DUPLICATE} with the original offsets and a violation is
     * rejected; in both cases nothing is written (see {@link AppendResult}). A compacted log refuses the whole
     * call if any record has no key.
     *
     * @param nowMs broker time, for segment.ms
     * @throws DecodeException     if the bytes are not whole v2 batches (the caller should have validated them)
     * @throws LogStorageException if the disk failed or the log is closed
     */
    public AppendResult append(ByteBuffer batches, long nowMs) {
        assert appending.compareAndSet(false, true) : "concurrent append to " + topicPartition
                + ": PartitionLog has a single writer";
        lock.lock();
        try {
            ensureOpen();
            final int count = locateBatches(batches);
            if (config.compact()) {
                if (keylessCheck == null) {
                    keylessCheck = new KeylessRecordCheck();
                }
                final String keyless = keylessCheck.firstKeyless(batches, batchStarts, count, header);
                if (keyless != null) {
                    LOG.debug("Refusing a keyless record ({}) in compacted {}", keyless, topicPartition);
                    return AppendResult.rejected(AppendResult.Status.INVALID_RECORD, logStartOffset,
                            "Compacted topic cannot accept message without key in topic partition "
                                    + topicPartition + ".");
                }
            }
            final AppendResult rejected = producers.check(batches, batchStarts, count, header, logStartOffset);
            if (rejected != null) {
                return rejected;
            }
            final long firstOffset = end.offset();
            long next = firstOffset;
            for (int i = 0; i < count; i++) {
                header.wrap(batches, batchStarts[i]);
                header.baseOffset(next);
                next = header.lastOffset() + 1;
            }
            final int bytes = batches.remaining();
            LogSegment active = end.segment();
            final LogConfig c = config;
            if (active.shouldRoll(bytes, next - 1, nowMs, c.segmentBytes(), c.segmentMs())) {
                active = roll();
            }
            final int before = active.size();
            try {
                active.append(batches, batchStarts, count, header, nowMs, c.indexIntervalBytes());
            } catch (IOException e) {
                undoPartialWrite(active, before, e);
                throw new LogStorageException("Append to " + topicPartition + " failed", e);
            }
            for (int i = 0; i < count; i++) {
                header.wrap(batches, batchStarts[i]);
                producers.apply(header);
            }
            end = new LogEnd(next, active, active.size());
            header.wrap(batches, batchStarts[0]);
            final long logAppendTime = header.isLogAppendTime() ? header.maxTimestamp() : -1L;
            return new AppendResult(AppendResult.Status.APPENDED, firstOffset, next - 1, logAppendTime,
                    logStartOffset, null);
        } catch (IOException e) {
            throw new LogStorageException("Append to " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
            assert appending.compareAndSet(true, false);
        }
    }

    /** Records where each batch starts in {@code batchStarts}; checks only what keeps the log parseable. */
    private int locateBatches(ByteBuffer batches) {
        int position = batches.position();
        final int limit = batches.limit();
        if (position == limit) {
            throw new DecodeException("No record batches to append");
        }
        int count = 0;
        while (position < limit) {
            if (limit - position < BatchHeader.HEADER_SIZE) {
                throw new DecodeException("Truncated record batch at byte " + (position - batches.position()));
            }
            header.wrap(batches, position);
            final int length = header.batchLength();
            if (length < BatchHeader.HEADER_SIZE - BatchHeader.LOG_OVERHEAD
                    || length > limit - position - BatchHeader.LOG_OVERHEAD) {
                throw new DecodeException("Record batch at byte " + (position - batches.position())
                        + " has invalid batchLength " + length);
            }
            if (header.magic() != BatchHeader.MAGIC_V2 || header.lastOffsetDelta() < 0) {
                throw new DecodeException("Record batch at byte " + (position - batches.position())
                        + " is not a valid v2 batch");
            }
            if (count == batchStarts.length) {
                batchStarts = Arrays.copyOf(batchStarts, count * 2);
            }
            batchStarts[count++] = position;
            position += BatchHeader.LOG_OVERHEAD + length;
        }
        return count;
    }

    private void undoPartialWrite(LogSegment active, int size, IOException cause) {
        try {
            active.truncateTo(size);
        } catch (IOException e) {
            cause.addSuppressed(e);
            closed = true;
            LOG.error("{} could not undo a failed append and is now closed", topicPartition, e);
        }
    }

    /**
     * Starts a new segment at the log end (writer or lock holder only). The old one gets its final time-index
     * entry and trimmed indexes; a producer snapshot is taken at the new base offset; the flusher is asked to
     * make the old segment durable, which advances the recovery point past it.
     */
    private LogSegment roll() throws IOException {
        final LogEnd current = end;
        final LogSegment old = current.segment();
        if (old.size() == 0) {
            return old;
        }
        old.onBecomeInactive();
        durability.segmentRolled(old);
        final LogSegment created = LogSegment.create(dir, current.offset(), config.segmentIndexBytes());
        segments.put(created.baseOffset(), created);
        end = new LogEnd(current.offset(), created, 0);
        try {
            writeSnapshot(current.offset());
        } catch (IOException e) {
            // Only costs a longer replay after a crash; the append itself must not fail for it.
            LOG.warn("Could not snapshot producer state of {} at offset {}", topicPartition, current.offset(), e);
        }
        flusher.requestBackground(durability, current.offset());
        LOG.debug("Rolled {} at offset {}", topicPartition, current.offset());
        return created;
    }

    /** Snapshots producer state at {@code offset} (no fsync here: the flusher does it) and prunes old ones. */
    private void writeSnapshot(long offset) throws IOException {
        final Path file = LogFileNames.snapshotFile(dir, offset);
        ProducerSnapshotFile.write(file, producers, false);
        durability.snapshotWritten(file);
        pruneSnapshots();
    }

    /** Keeps the newest snapshot at or below the recovery point and every newer one: recovery needs no other. */
    private void pruneSnapshots() throws IOException {
        final NavigableMap<Long, Path> snapshots = ProducerSnapshotFile.list(dir);
        final Long keepFrom = snapshots.floorKey(durability.recoveryPoint());
        if (keepFrom != null) {
            for (Path p : snapshots.headMap(keepFrom, false).values()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A future completed once every offset below {@code endOffset} is fsync'd; already complete when it is.
     * Concurrent requests share one fsync (group commit); the future completes on the flusher thread, or
     * exceptionally with {@link LogStorageException} if the fsync failed.
     *
     * @throws IllegalArgumentException if {@code endOffset} is beyond the log end offset
     */
    public CompletableFuture<Void> flushUpTo(long endOffset) {
        if (endOffset <= durability.recoveryPoint()) {
            return CompletableFuture.completedFuture(null);
        }
        if (endOffset > end.offset()) {
            throw new IllegalArgumentException("Cannot flush " + topicPartition + " up to " + endOffset
                    + ": the log ends at " + end.offset());
        }
        return flusher.request(durability, endOffset);
    }

    /** First offset still in the log (the base offset of its oldest segment). */
    public long logStartOffset() {
        return logStartOffset;
    }

    /** The offset the next appended record gets. */
    public long logEndOffset() {
        return end.offset();
    }

    /** Equal to the log end offset: a single node has no followers to wait for. */
    public long highWatermark() {
        return end.offset();
    }

    /** Offsets below this are fsync'd; after an unclean shutdown, recovery scans from here. */
    public long recoveryPoint() {
        return durability.recoveryPoint();
    }

    /**
     * Whole batches from the one that contains {@code fetchOffset}, up to {@code maxBytes}, from one segment.
     * The first batch is returned whole even when larger than {@code maxBytes} (Kafka's minOneMessage), so a
     * consumer always makes progress. At the log end the result is empty.
     *
     * @throws OffsetOutOfRangeException if {@code fetchOffset} is below the log start or above the log end
     * @throws LogStorageException       if reading the segment failed
     */
    public FileRecords read(long fetchOffset, int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        final LogEnd e = end;
        final long start = logStartOffset;
        if (fetchOffset < start || fetchOffset > e.offset()) {
            throw new OffsetOutOfRangeException(topicPartition, fetchOffset, start, e.offset());
        }
        if (fetchOffset == e.offset()) {
            return new FileRecords(e.segment().channel(), e.position(), 0, e.segment().logFile());
        }
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(fetchOffset);
        try {
            while (entry != null && entry.getKey() <= e.segment().baseOffset()) {
                final LogSegment segment = entry.getValue();
                final int committed = segment == e.segment() ? e.position() : segment.size();
                final long found = segment.findBatch(fetchOffset, committed);
                if (found >= 0) {
                    final int position = (int) (found >>> 32);
                    final int firstSize = (int) found;
                    final int endPosition = firstSize >= maxBytes ? position + firstSize
                            : segment.endOfWholeBatches(position, (long) position + maxBytes, committed);
                    return new FileRecords(segment.channel(), position, endPosition - position, segment.logFile());
                }
                entry = segments.higherEntry(entry.getKey());
            }
        } catch (ClosedChannelException ex) {
            throw new LogStorageException("Segment of " + topicPartition + " was closed during a read of offset "
                    + fetchOffset + " (deleted, or the log was closed)", ex);
        } catch (IOException ex) {
            throw new LogStorageException("Read of " + topicPartition + " at offset " + fetchOffset + " failed", ex);
        }
        // Retention removed the segment between the range check and the lookup.
        throw new OffsetOutOfRangeException(topicPartition, fetchOffset, logStartOffset, end.offset());
    }

    /**
     * The first record with timestamp &gt;= {@code timestamp} (ListOffsets by time), or null if none. The time
     * index narrows the search and batch headers are scanned; see {@link TimestampSearch} for how compressed
     * batches are answered.
     */
    public OffsetAndTimestamp offsetForTimestamp(long timestamp) {
        try {
            return TimestampSearch.offsetForTimestamp(segments, end, logStartOffset, timestamp);
        } catch (IOException e) {
            throw new LogStorageException("Timestamp lookup in " + topicPartition + " failed", e);
        }
    }

    /** The record with the largest timestamp (ListOffsets MAX_TIMESTAMP, -3), or null for an empty log. */
    public OffsetAndTimestamp offsetOfMaxTimestamp() {
        try {
            return TimestampSearch.offsetOfMaxTimestamp(segments, end);
        } catch (IOException e) {
            throw new LogStorageException("Max-timestamp lookup in " + topicPartition + " failed", e);
        }
    }

    /** Total bytes of all segments. */
    public long sizeInBytes() {
        final LogEnd e = end;
        long total = 0;
        for (LogSegment s : segments.values()) {
            total += s == e.segment() ? e.position() : s.size();
        }
        return total;
    }

    public int segmentCount() {
        return segments.size();
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    /** The partition's directory. */
    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Applies new settings from the next append or retention run on; existing index files keep their size. */
    public void updateConfig(LogConfig newConfig) {
        this.config = Objects.requireNonNull(newConfig, "config");
    }

    /** Idempotent producers the log currently remembers. */
    public int producerCount() {
        lock.lock();
        try {
            return producers.size();
        } finally {
            lock.unlock();
        }
    }

    /** Segments whose batches were scanned when this log was loaded (0 after a clean shutdown). */
    int segmentsRecoveredAtLoad() {
        return segmentsRecoveredAtLoad;
    }

    /**
     * Deletes segments breaching retention.bytes, then retention.ms, oldest first, as Kafka does: a segment goes
     * when the log stays at or above retention.bytes without it, or when its largest timestamp is more than
     * retention.ms old. The active segment counts too when not empty; if every segment goes, the log rolls first
     * so it always keeps one. The log start offset advances to the oldest remaining segment. Nothing is deleted
     * when cleanup.policy does not contain {@code delete}.
     *
     * @return segments deleted
     */
    int deleteRetentionBreachedSegments(long nowMs) {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            final LogConfig c = config;
            if (!c.delete()) {
                return 0;
            }
            int deleted = deleteSegments(RetentionRules.bySize(deletable(), this::sizeOf, sizeInBytes(),
                    c.retentionBytes()), nowMs, c);
            deleted += deleteSegments(RetentionRules.byTime(deletable(), nowMs, c.retentionMs()), nowMs, c);
            return deleted;
        } catch (IOException e) {
            throw new LogStorageException("Retention of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    private long sizeOf(LogSegment s) {
        final LogEnd e = end;
        return s == e.segment() ? e.position() : s.size();
    }

    /** Segments in order, without the active one when it is empty (it would only be re-created). */
    private List<LogSegment> deletable() {
        final List<LogSegment> result = new ArrayList<>(segments.values());
        final LogSegment last = result.get(result.size() - 1);
        if (sizeOf(last) == 0) {
            result.remove(result.size() - 1);
        }
        return result;
    }

    private int deleteSegments(List<LogSegment> doomed, long nowMs, LogConfig c) throws IOException {
        if (doomed.isEmpty()) {
            return 0;
        }
        if (doomed.size() == segments.size()) {
            roll();
        }
        for (LogSegment s : doomed) {
            segments.remove(s.baseOffset());
        }
        logStartOffset = segments.firstKey();
        for (LogSegment s : doomed) {
            s.renameForDeletion();
            deleter.schedule(s, nowMs + c.fileDeleteDelayMs(), nowMs);
        }
        // Producer state of batches that are gone is no longer needed to rebuild anything.
        for (Path p : ProducerSnapshotFile.list(dir).headMap(logStartOffset, false).values()) {
            Files.deleteIfExists(p);
        }
        durability.directoryChanged();
        LOG.info("Deleted {} segment(s) of {} by retention; log start offset is now {}", doomed.size(),
                topicPartition, logStartOffset);
        return doomed.size();
    }

    /**
     * Runs one compaction pass now if cleanup.policy contains {@code compact} and the pass is due: the dirty ratio
     * reached min.cleanable.dirty.ratio, the oldest dirty record passed max.compaction.lag.ms, or a kept
     * tombstone's delete.retention.ms ran out. Only closed segments whose records are older than
     * min.compaction.lag.ms are touched. Safe to call from any thread while appends and reads go on; passes of
     * one log are serialised. The manager's cleaner thread calls this; tests call it directly.
     *
     * @param nowMs the time the pass runs at: it decides the lags and tombstone expiry
     * @throws LogStorageException if reading or writing segments failed (the log stays consistent)
     */
    public CompactionResult compact(long nowMs) {
        return compactor.compact(config, nowMs);
    }

    /** Forgets producers idle for producer.id.expiration.ms; returns how many. */
    int expireProducers(long nowMs) {
        lock.lock();
        try {
            return producers.expire(nowMs, config.producerIdExpirationMs());
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new LogStorageException("Log " + topicPartition + " is closed");
        }
    }

    /**
     * Clean close: fsyncs everything, finalises the active segment's indexes and snapshots producer state at the
     * log end, so the next open needs no scan. Runs on the closing thread, after the flusher stopped.
     */
    void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            durability.flush(new LongAdder());
            final LogEnd e = end;
            e.segment().onBecomeInactive();
            e.segment().flushIndexes();
            final Path snapshot = LogFileNames.snapshotFile(dir, e.offset());
            ProducerSnapshotFile.write(snapshot, producers, true);
            pruneSnapshots();
            LogFileNames.fsyncDirectory(dir);
            closed = true;
            closeSegments();
        } finally {
            lock.unlock();
        }
    }

    /** Closes without flushing (the directory is about to be deleted). */
    void closeForDeletion() {
        lock.lock();
        try {
            closed = true;
            closeSegments();
        } finally {
            lock.unlock();
        }
    }

    private void closeSegments() {
        for (LogSegment s : segments.values()) {
            try {
                s.close();
            } catch (IOException ex) {
                LOG.warn("Closing {} failed", s, ex);
            }
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", start=" + logStartOffset + ", end=" + end.offset() + ")";
    }
}

package dev.skiff.storage.internal;

import dev.skiff.storage.LogStorageException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What one partition log still has to make durable, and how far it already is: its recovery point.
 *
 * <p>The log's writer reports what it changed (a roll finished a segment whose trimmed indexes need flushing,
 * a snapshot file was written, the directory gained or lost files); the flusher calls {@link #flush} to fsync
 * the data segments from the recovery point to the log end, then those pending items, and only then advances
 * the recovery point, so everything below it, indexes and directory entries included, is on disk.
 */
public final class LogDurability implements FlushTarget {
    private final String name;
    private final Path dir;
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final Supplier<LogEnd> end;
    private final BooleanSupplier closed;
    private final ConcurrentLinkedQueue<LogSegment> unflushedIndexes = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Path> unsyncedSnapshots = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean directoryDirty = new AtomicBoolean();
    private volatile long recoveryPoint;

    /**
     * @param end    the log's current end, read once per flush
     * @param closed whether the log is closed (flushing it then fails)
     */
    public LogDurability(String name, Path dir, ConcurrentSkipListMap<Long, LogSegment> segments,
                         Supplier<LogEnd> end, BooleanSupplier closed, long recoveryPoint) {
        this.name = name;
        this.dir = dir;
        this.segments = segments;
        this.end = end;
        this.closed = closed;
        this.recoveryPoint = recoveryPoint;
    }

    /** A roll finished {@code segment}: its trimmed indexes must reach the disk before the recovery point passes. */
    public void segmentRolled(LogSegment segment) {
        unflushedIndexes.add(segment);
        directoryDirty.set(true);
    }

    /** A snapshot was written without fsync. */
    public void snapshotWritten(Path file) {
        unsyncedSnapshots.add(file);
        directoryDirty.set(true);
    }

    /** Files were created, renamed or deleted in the log's directory. */
    public void directoryChanged() {
        directoryDirty.set(true);
    }

    public long recoveryPoint() {
        return recoveryPoint;
    }

    @Override
    public long flush(LongAdder fsyncs) throws IOException {
        if (closed.getAsBoolean()) {
            throw new LogStorageException("Log " + name + " is closed");
        }
        final LogEnd e = end.get();
        final long durable = recoveryPoint;
        if (e.offset() > durable) {
            final Long from = segments.floorKey(durable);
            final NavigableMap<Long, LogSegment> range = from == null ? segments : segments.tailMap(from, true);
            for (LogSegment s : range.values()) {
                if (s.baseOffset() > e.segment().baseOffset()) {
                    break;
                }
                try {
                    s.flush();
                    fsyncs.increment();
                } catch (ClosedChannelException ex) {
                    // Retention may close a segment it removed; its data no longer matters.
                    if (!s.isDeleted()) {
                        throw ex;
                    }
                }
            }
        }
        LogSegment inactive;
        while ((inactive = unflushedIndexes.poll()) != null) {
            if (!inactive.isDeleted()) {
                inactive.flushIndexes();
            }
        }
        Path snapshot;
        while ((snapshot = unsyncedSnapshots.poll()) != null) {
            ProducerSnapshotFile.fsync(snapshot);
        }
        if (directoryDirty.getAndSet(false)) {
            LogFileNames.fsyncDirectory(dir);
        }
        if (e.offset() > recoveryPoint) {
            recoveryPoint = e.offset();
        }
        return recoveryPoint;
    }

    @Override
    public long durableOffset() {
        return recoveryPoint;
    }

    @Override
    public String name() {
        return name;
    }
}

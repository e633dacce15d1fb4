package dev.skiff.storage.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes and deletes segments that retention removed, {@code file.delete.delay.ms} after removal.
 *
 * <p>Why a delay: a fetch may have taken a {@code FileRecords} of the segment just before retention removed it
 * and still be sending it. The segment's files are renamed to {@code *.deleted} at once and their channel stays
 * open until the delay passes, as in Kafka. Thread-safe.
 */
public final class SegmentDeleter {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentDeleter.class);

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    private record Pending(LogSegment segment, long dueMs) {
    }

    /** Deletes {@code segment} once the clock reaches {@code dueMs} (now when it already has). */
    public void schedule(LogSegment segment, long dueMs, long nowMs) {
        if (dueMs <= nowMs) {
            delete(segment);
            return;
        }
        synchronized (pending) {
            pending.add(new Pending(segment, dueMs));
        }
    }

    /** Deletes the segments that are due; returns how many. */
    public int deleteDue(long nowMs) {
        final List<LogSegment> due = new ArrayList<>();
        synchronized (pending) {
            pending.removeIf(p -> {
                if (p.dueMs() <= nowMs) {
                    due.add(p.segment());
                    return true;
                }
                return false;
            });
        }
        due.forEach(SegmentDeleter::delete);
        return due.size();
    }

    /** Deletes everything pending, due or not (shutdown). */
    public void deleteAll() {
        deleteDue(Long.MAX_VALUE);
    }

    /** Segments waiting for their delay. */
    public int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    private static void delete(LogSegment segment) {
        try {
            segment.closeAndDelete();
        } catch (IOException e) {
            // Leftover *.deleted files are removed again when the log is next loaded.
            LOG.warn("Could not delete {}", segment, e);
        }
    }
}

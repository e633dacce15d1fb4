package dev.skiff.storage.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Which segments retention deletes, as Kafka decides it. Both rules walk the deletable segments oldest first and
 * stop at the first one they keep, so only a prefix of the log is ever removed.
 */
public final class RetentionRules {
    private RetentionRules() {
    }

    /**
     * retention.bytes: a segment goes while the log, without it, is still at least {@code retentionBytes}.
     * Nothing goes while the log is smaller than the limit; -1 disables the rule.
     */
    public static List<LogSegment> bySize(List<LogSegment> deletable, ToLongFunction<LogSegment> sizeOf,
                                          long totalSize, long retentionBytes) {
        final List<LogSegment> doomed = new ArrayList<>();
        if (retentionBytes < 0 || totalSize < retentionBytes) {
            return doomed;
        }
        long excess = totalSize - retentionBytes;
        for (LogSegment s : deletable) {
            final long size = sizeOf.applyAsLong(s);
            if (excess - size < 0) {
                break;
            }
            excess -= size;
            doomed.add(s);
        }
        return doomed;
    }

    /**
     * retention.ms: a segment goes when its largest timestamp is more than {@code retentionMs} before
     * {@code nowMs}; -1 disables the rule.
     */
    public static List<LogSegment> byTime(List<LogSegment> deletable, long nowMs, long retentionMs) {
        final List<LogSegment> doomed = new ArrayList<>();
        if (retentionMs < 0) {
            return doomed;
        }
        for (LogSegment s : deletable) {
            if (nowMs - s.largestTimestamp() <= retentionMs) {
                break;
            }
            doomed.add(s);
        }
        return doomed;
    }
}

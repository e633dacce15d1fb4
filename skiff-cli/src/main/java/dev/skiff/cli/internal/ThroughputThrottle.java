package dev.skiff.cli.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * Holds a sending loop to a target rate ({@code --throughput}): after each record, if the loop is ahead of
 * schedule by more than a millisecond it parks until it is on schedule again. Parking in millisecond steps
 * keeps the rate exact on average without a syscall per record.
 */
public final class ThroughputThrottle {
    private static final long SLACK_NANOS = 1_000_000;

    private final double nanosPerRecord;
    private final long startNanos;

    /** @param recordsPerSecond the target; zero or negative means no limit */
    public ThroughputThrottle(double recordsPerSecond, long startNanos) {
        this.nanosPerRecord = recordsPerSecond > 0 ? 1e9 / recordsPerSecond : 0;
        this.startNanos = startNanos;
    }

    /** Waits, if needed, so that {@code sent} records have taken at least their scheduled time. */
    public void pace(long sent) {
        if (nanosPerRecord == 0) {
            return;
        }
        final long due = startNanos + (long) (sent * nanosPerRecord);
        long ahead = due - System.nanoTime();
        while (ahead > SLACK_NANOS) {
            LockSupport.parkNanos(ahead);
            ahead = due - System.nanoTime();
        }
    }
}

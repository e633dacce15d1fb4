package dev.skiff.cli.internal;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Send-to-acknowledgement latencies in microseconds: recorded from the producer's sender thread
 * (callbacks), read from the progress thread in intervals, and totalled for the final report.
 *
 * <p>Why HdrHistogram's {@link Recorder}: recording is wait-free for the writer, and each
 * {@link #interval()} swaps in a fresh histogram, so the progress line shows the latency of the last
 * window while the total keeps every value for p99.9 and max.
 */
public final class LatencyRecorder {
    /** One hour: anything slower is clamped, not dropped, so the counts stay right. */
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
    private final Histogram total = new Histogram(HIGHEST_MICROS, 3);
    private Histogram reusable;

    /** Records one latency given the send time from {@link System#nanoTime()}; any thread. */
    public void recordSince(long sendNanos) {
        record((System.nanoTime() - sendNanos) / 1000);
    }

    /** Records one latency in microseconds; any thread. */
    public void record(long micros) {
        recorder.recordValue(Math.min(Math.max(micros, 0), HIGHEST_MICROS));
    }

    /**
     * The values recorded since the previous call, also added to the total. One reader thread at a time;
     * the returned histogram is reused by the next call, so read it before calling again.
     */
    public synchronized Histogram interval() {
        reusable = recorder.getIntervalHistogram(reusable);
        total.add(reusable);
        return reusable;
    }

    /** Every value recorded so far (takes a last interval first). */
    public synchronized Histogram total() {
        interval();
        return total;
    }
}

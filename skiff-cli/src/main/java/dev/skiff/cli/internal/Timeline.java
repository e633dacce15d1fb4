package dev.skiff.cli.internal;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Latency per second of a run, for {@code --chart}: each second's count, mean, p50, p99 and max.
 *
 * <p>One writer (the producer's sender thread runs every callback), read once the run is over. A
 * histogram per second at two significant digits costs a few KB; runs longer than {@link #MAX_SECONDS}
 * fold the rest into the last second.
 */
public final class Timeline {
    /** Seconds kept one by one. */
    public static final int MAX_SECONDS = 3600;

    private final long startNanos;
    private final List<Histogram> seconds = new ArrayList<>();

    public Timeline(long startNanos) {
        this.startNanos = startNanos;
    }

    /**
     * One second of the run.
     *
     * @param second seconds since the start
     * @param count  records acknowledged in it
     * @param avgMs  mean latency
     * @param p50Ms  median
     * @param p99Ms  99th percentile
     * @param maxMs  maximum
     */
    public record Second(int second, long count, double avgMs, double p50Ms, double p99Ms, double maxMs) {
    }

    /** Records a latency observed now; the sender thread only. */
    public synchronized void record(long micros) {
        final int s = (int) Math.min(MAX_SECONDS - 1, (System.nanoTime() - startNanos) / 1_000_000_000L);
        while (seconds.size() <= s) {
            seconds.add(null);
        }
        Histogram h = seconds.get(s);
        if (h == null) {
            h = new Histogram(3_600_000_000L, 2);
            seconds.set(s, h);
        }
        h.recordValue(Math.min(Math.max(0, micros), 3_600_000_000L));
    }

    /** Every second so far, empty ones included. */
    public synchronized List<Second> seconds() {
        final List<Second> out = new ArrayList<>(seconds.size());
        for (int s = 0; s < seconds.size(); s++) {
            final Histogram h = seconds.get(s);
            if (h == null || h.getTotalCount() == 0) {
                out.add(new Second(s, 0, 0, 0, 0, 0));
            } else {
                out.add(new Second(s, h.getTotalCount(), h.getMean() / 1000, h.getValueAtPercentile(50) / 1000.0,
                        h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0));
            }
        }
        return out;
    }
}

package dev.skiff.cli.internal;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The latency figures every report prints, in milliseconds, taken from a microsecond histogram.
 *
 * @param count samples
 * @param avg   mean
 * @param p50   median
 * @param p90   90th percentile
 * @param p95   95th percentile
 * @param p99   99th percentile
 * @param p999  99.9th percentile
 * @param max   maximum
 */
public record Percentiles(long count, double avg, double p50, double p90, double p95, double p99, double p999,
                          double max) {

    /** The figures of a histogram of microseconds (all zero when it is empty). */
    public static Percentiles of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new Percentiles(0, 0, 0, 0, 0, 0, 0, 0);
        }
        return new Percentiles(micros.getTotalCount(), micros.getMean() / 1000.0,
                ms(micros, 50), ms(micros, 90), ms(micros, 95), ms(micros, 99), ms(micros, 99.9),
                micros.getMaxValue() / 1000.0);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** One line: {@code p50 1.2 ms  p90 ...  max 9.8 ms}. */
    public String line() {
        return String.format(Locale.ROOT, "p50 %s ms  p90 %s ms  p99 %s ms  p99.9 %s ms  max %s ms",
                fmt(p50), fmt(p90), fmt(p99), fmt(p999), fmt(max));
    }

    /** Milliseconds with precision that suits their size: 0.123, 1.23, 12.3, 123. */
    public static String fmt(double ms) {
        if (ms < 1) {
            return String.format(Locale.ROOT, "%.3f", ms);
        }
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f", ms);
        }
        if (ms < 100) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        return String.format(Locale.ROOT, "%.0f", ms);
    }
}

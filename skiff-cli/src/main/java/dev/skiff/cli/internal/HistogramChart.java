package dev.skiff.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * A latency histogram drawn in text: one row per power-of-two bucket of milliseconds that holds samples,
 * each with its share of the records and a bar.
 */
public final class HistogramChart {
    private HistogramChart() {
    }

    /**
     * A bucket of the distribution.
     *
     * @param fromMs lower bound (inclusive)
     * @param toMs   upper bound (exclusive)
     * @param count  samples in it
     */
    public record Bucket(double fromMs, double toMs, long count) {
    }

    /** Power-of-two buckets in µs (…, 0.25-0.5 ms, 0.5-1 ms, 1-2 ms, …) between the smallest and largest value. */
    public static List<Bucket> buckets(Histogram micros) {
        final List<Bucket> buckets = new ArrayList<>();
        if (micros.getTotalCount() == 0) {
            return buckets;
        }
        long low = Long.highestOneBit(Math.max(1, micros.getMinValue()));
        final long max = micros.getMaxValue();
        while (low <= max) {
            final long high = low * 2;
            final long count = micros.getCountBetweenValues(low, high - 1);
            // HdrHistogram's own buckets split at powers of two, so these ranges never share a sub-bucket.
            buckets.add(new Bucket(low / 1000.0, high / 1000.0, count));
            low = high;
        }
        if (micros.getMinValue() == 0) {
            final long zeros = micros.getCountAtValue(0);
            if (zeros > 0) {
                buckets.add(0, new Bucket(0, 0.001, zeros));
            }
        }
        return buckets;
    }

    /** The rows, each prefixed by {@code indent}, bars at most {@code barWidth} cells. */
    public static String format(Histogram micros, String indent, int barWidth, Terminal terminal) {
        final List<Bucket> buckets = buckets(micros);
        long most = 1;
        for (Bucket b : buckets) {
            most = Math.max(most, b.count());
        }
        final double total = Math.max(1, micros.getTotalCount());
        final StringBuilder sb = new StringBuilder();
        for (Bucket b : buckets) {
            final int cells = (int) Math.round((double) b.count() * barWidth / most);
            final String bar = "#".repeat(b.count() > 0 ? Math.max(1, cells) : 0);
            sb.append(indent).append(String.format(Locale.ROOT, "%8s - %-8s %6.2f%% ", Percentiles.fmt(b.fromMs()),
                    Percentiles.fmt(b.toMs()) + " ms", b.count() * 100 / total))
                    .append(terminal.cyan(bar)).append(System.lineSeparator());
        }
        return sb.toString();
    }
}

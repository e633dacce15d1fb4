package dev.skiff.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Writes {@code --chart FILE.html}: one self-contained page (inline SVG, no scripts, no network) with
 * latency over time (p50, p99 and max per second, throughput as bars) and the latency histogram.
 */
public final class ChartWriter {
    private static final int W = 900;
    private static final int H = 320;
    private static final int PAD = 50;

    private ChartWriter() {
    }

    /**
     * @param file    where to write (.html)
     * @param title   heading, e.g. "skiff perf produce: 1,000,000 records of 100 bytes"
     * @param summary label/value pairs shown as a table
     * @param seconds the run per second
     * @param total   every latency (µs)
     */
    public static void write(Path file, String title, Map<String, String> summary, List<Timeline.Second> seconds,
                             Histogram total) throws IOException {
        final StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}"
                        + "table{border-collapse:collapse}td{padding:2px 12px 2px 0}"
                        + "svg{background:#fafafa;border:1px solid #ddd;margin:1em 0}"
                        + ".axis{font-size:11px;fill:#555}</style></head><body>\n")
                .append("<h1>").append(escape(title)).append("</h1>\n<table>\n");
        summary.forEach((k, v) -> html.append("<tr><td>").append(escape(k)).append("</td><td><b>")
                .append(escape(v)).append("</b></td></tr>\n"));
        html.append("</table>\n<h2>Latency over time (send to acknowledgement)</h2>\n");
        timeChart(html, seconds);
        html.append("<h2>Latency histogram</h2>\n");
        histogram(html, total);
        html.append("</body></html>\n");
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    private static void timeChart(StringBuilder html, List<Timeline.Second> seconds) {
        double maxMs = 0.001;
        long maxCount = 1;
        for (Timeline.Second s : seconds) {
            maxMs = Math.max(maxMs, s.maxMs());
            maxCount = Math.max(maxCount, s.count());
        }
        final int n = Math.max(1, seconds.size());
        final double slot = (double) (W - 2 * PAD) / n;
        svgOpen(html);
        for (Timeline.Second s : seconds) {
            final double h = (H - 2 * PAD) * (double) s.count() / maxCount;
            html.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#dde8f5\"/>\n",
                    PAD + s.second() * slot, H - PAD - h, Math.max(1, slot - 1), h));
        }
        line(html, seconds, slot, maxMs, "#2a7", Timeline.Second::p50Ms);
        line(html, seconds, slot, maxMs, "#e80", Timeline.Second::p99Ms);
        line(html, seconds, slot, maxMs, "#c22", Timeline.Second::maxMs);
        axes(html, "seconds", n + " s", "ms", Percentiles.fmt(maxMs));
        html.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%d\" y=\"%d\">bars: records/s (peak %d)  "
                + "<tspan fill=\"#2a7\">p50</tspan>  <tspan fill=\"#e80\">p99</tspan>  <tspan fill=\"#c22\">max"
                + "</tspan></text>\n", PAD, PAD - 15, maxCount));
        html.append("</svg>\n");
    }

    private static void line(StringBuilder html, List<Timeline.Second> seconds, double slot, double maxMs,
                             String colour, java.util.function.ToDoubleFunction<Timeline.Second> value) {
        final StringBuilder points = new StringBuilder();
        for (Timeline.Second s : seconds) {
            if (s.count() == 0) {
                continue;
            }
            final double x = PAD + (s.second() + 0.5) * slot;
            final double y = H - PAD - (H - 2 * PAD) * value.applyAsDouble(s) / maxMs;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        html.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"")
                .append(points).append("\"/>\n");
    }

    private static void histogram(StringBuilder html, Histogram total) {
        final List<HistogramChart.Bucket> buckets = HistogramChart.buckets(total);
        long most = 1;
        for (HistogramChart.Bucket b : buckets) {
            most = Math.max(most, b.count());
        }
        final int n = Math.max(1, buckets.size());
        final double slot = (double) (W - 2 * PAD) / n;
        svgOpen(html);
        for (int i = 0; i < buckets.size(); i++) {
            final HistogramChart.Bucket b = buckets.get(i);
            final double h = (H - 2 * PAD) * (double) b.count() / most;
            final double x = PAD + i * slot;
            html.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"#4a7fc1\"><title>%s-%s ms: %d</title></rect>\n", x + 2, H - PAD - h,
                    Math.max(1, slot - 4), h, Percentiles.fmt(b.fromMs()), Percentiles.fmt(b.toMs()), b.count()));
            html.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
                    + "%s</text>\n", x + slot / 2, H - PAD + 15, Percentiles.fmt(b.toMs())));
        }
        axes(html, "latency, ms (upper bound of each bucket)", "", "records", Long.toString(most));
        html.append("</svg>\n");
    }

    private static void svgOpen(StringBuilder html) {
        html.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\">\n", W, H, W, H));
    }

    private static void axes(StringBuilder html, String xLabel, String xMax, String yLabel, String yMax) {
        html.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n"
                        + "<text class=\"axis\" x=\"%d\" y=\"%d\">%s</text>\n"
                        + "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n"
                        + "<text class=\"axis\" x=\"5\" y=\"%d\">%s %s</text>\n",
                PAD, H - PAD, W - PAD, H - PAD, PAD, PAD, PAD, H - PAD,
                W / 2 - 60, H - 12, escape(xLabel), W - PAD, H - 12, escape(xMax), PAD, escape(yMax), escape(yLabel)));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package dev.skiff.cli.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;

/**
 * Writes {@code --chart FILE.png}: the same data as {@link ChartWriter} drawn with the JDK alone into one
 * {@value #WIDTH}x{@value #HEIGHT} image. Title and summary on top, latency over time (p50, p99 and max per
 * second over throughput bars) in the middle, the latency histogram below.
 *
 * <pre>
 * +------------------------------------------+
 * | title / summary lines                    |  0 .. 110
 * +------------------------------------------+
 * | latency over time                        |  110 .. 400
 * +------------------------------------------+
 * | latency histogram                        |  400 .. 700
 * +------------------------------------------+
 * </pre>
 */
public final class PngChartWriter {
    /** Image width in pixels. */
    public static final int WIDTH = 1000;
    /** Image height in pixels. */
    public static final int HEIGHT = 700;

    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final Color AXIS = new Color(0x88, 0x88, 0x88);
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final Color LABEL = new Color(0x55, 0x55, 0x55);
    private static final Color BARS = new Color(0xdd, 0xe8, 0xf5);
    private static final Color HIST = new Color(0x4a, 0x7f, 0xc1);
    private static final Color P50 = new Color(0x22, 0xaa, 0x77);
    private static final Color P99 = new Color(0xee, 0x88, 0x00);
    private static final Color MAX = new Color(0xcc, 0x22, 0x22);

    private PngChartWriter() {
    }

    /**
     * @param file    where to write (.png)
     * @param title   heading, e.g. "skiff perf produce: 1,000,000 records of 100 bytes"
     * @param summary label/value pairs shown under the title
     * @param seconds the run per second
     * @param total   every latency (µs)
     */
    public static void write(Path file, String title, Map<String, String> summary, List<Timeline.Second> seconds,
                             Histogram total) throws IOException {
        // A CLI has no display; without this AWT may try to reach an X server.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            header(g, title, summary);
            timeChart(g, seconds, 140, 370);
            histogram(g, total, 430, 660);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private static void header(Graphics2D g, String title, Map<String, String> summary) {
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, 20, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        final List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, String> e : summary.entrySet()) {
            final String item = e.getKey() + ": " + e.getValue();
            if (line.length() > 0 && g.getFontMetrics().stringWidth(line + "    " + item) > WIDTH - 40) {
                lines.add(line.toString());
                line = new StringBuilder();
            }
            line.append(line.length() > 0 ? "    " : "").append(item);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        int y = 55;
        for (String l : lines.subList(0, Math.min(3, lines.size()))) {
            g.drawString(l, 20, y);
            y += 17;
        }
    }

    private static void timeChart(Graphics2D g, List<Timeline.Second> seconds, int top, int bottom) {
        double maxMs = 0.001;
        long maxCount = 1;
        for (Timeline.Second s : seconds) {
            maxMs = Math.max(maxMs, s.maxMs());
            maxCount = Math.max(maxCount, s.count());
        }
        final int n = Math.max(1, seconds.size());
        final double slot = (double) (WIDTH - LEFT - RIGHT) / n;
        final int h = bottom - top;
        panelTitle(g, "Latency over time (send to acknowledgement)", top);
        g.setColor(BARS);
        for (Timeline.Second s : seconds) {
            final double bar = h * (double) s.count() / maxCount;
            g.fill(new Rectangle2D.Double(LEFT + s.second() * slot, bottom - bar, Math.max(1, slot - 1), bar));
        }
        line(g, seconds, slot, maxMs, top, bottom, P50, Timeline.Second::p50Ms);
        line(g, seconds, slot, maxMs, top, bottom, P99, Timeline.Second::p99Ms);
        line(g, seconds, slot, maxMs, top, bottom, MAX, Timeline.Second::maxMs);
        axes(g, top, bottom, "seconds", "0", n + " s", "ms", Percentiles.fmt(maxMs));
        // Legend, top right of the panel.
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int x = WIDTH - RIGHT - 330;
        g.setColor(LABEL);
        final String bars = "bars: records/s (peak " + maxCount + ")";
        g.drawString(bars, x, top - 6);
        x += g.getFontMetrics().stringWidth(bars) + 12;
        for (Object[] entry : new Object[][] {{"p50", P50}, {"p99", P99}, {"max", MAX}}) {
            g.setColor((Color) entry[1]);
            g.drawString((String) entry[0], x, top - 6);
            x += g.getFontMetrics().stringWidth((String) entry[0]) + 12;
        }
    }

    private static void line(Graphics2D g, List<Timeline.Second> seconds, double slot, double maxMs, int top,
                             int bottom, Color colour, ToDoubleFunction<Timeline.Second> value) {
        final Path2D.Double path = new Path2D.Double();
        boolean first = true;
        for (Timeline.Second s : seconds) {
            if (s.count() == 0) {
                continue;
            }
            final double x = LEFT + (s.second() + 0.5) * slot;
            final double y = bottom - (bottom - top) * value.applyAsDouble(s) / maxMs;
            if (first) {
                path.moveTo(x, y);
                first = false;
            } else {
                path.lineTo(x, y);
            }
        }
        g.setColor(colour);
        g.setStroke(new BasicStroke(2f));
        if (!first) {
            g.draw(path);
            // A one-second run has a single point; a dot keeps it visible.
            final Rectangle2D end = path.getBounds2D();
            if (end.getWidth() == 0) {
                g.fill(new Rectangle2D.Double(end.getX() - 2, end.getY() - 2, 4, 4));
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static void histogram(Graphics2D g, Histogram total, int top, int bottom) {
        final List<HistogramChart.Bucket> buckets = HistogramChart.buckets(total);
        long most = 1;
        for (HistogramChart.Bucket b : buckets) {
            most = Math.max(most, b.count());
        }
        final int n = Math.max(1, buckets.size());
        final double slot = (double) (WIDTH - LEFT - RIGHT) / n;
        panelTitle(g, "Latency histogram", top);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < buckets.size(); i++) {
            final HistogramChart.Bucket b = buckets.get(i);
            final double bar = (bottom - top) * (double) b.count() / most;
            final double x = LEFT + i * slot;
            g.setColor(HIST);
            g.fill(new Rectangle2D.Double(x + 2, bottom - bar, Math.max(1, slot - 4), bar));
            g.setColor(LABEL);
            final String label = Percentiles.fmt(b.toMs());
            g.drawString(label, (float) (x + slot / 2 - g.getFontMetrics().stringWidth(label) / 2.0), bottom + 14);
        }
        axes(g, top, bottom, "latency, ms (upper bound of each bucket)", "", "", "records", Long.toString(most));
    }

    private static void panelTitle(Graphics2D g, String text, int top) {
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(text, 20, top - 6);
    }

    private static void axes(Graphics2D g, int top, int bottom, String xLabel, String xMin, String xMax,
                             String yLabel, String yMax) {
        g.setColor(AXIS);
        g.drawLine(LEFT, bottom, WIDTH - RIGHT, bottom);
        g.drawLine(LEFT, top, LEFT, bottom);
        g.setColor(LABEL);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        final int labelY = bottom + (xMin.isEmpty() && xMax.isEmpty() ? 28 : 16);
        g.drawString(xLabel, (WIDTH - g.getFontMetrics().stringWidth(xLabel)) / 2, labelY);
        g.drawString(xMin, LEFT, bottom + 14);
        g.drawString(xMax, WIDTH - RIGHT - g.getFontMetrics().stringWidth(xMax), bottom + 14);
        g.drawString(yMax, Math.max(2, LEFT - 6 - g.getFontMetrics().stringWidth(yMax)), top + 10);
        g.drawString(yLabel, Math.max(2, LEFT - 6 - g.getFontMetrics().stringWidth(yLabel)), top + 24);
        g.drawString("0", LEFT - 6 - g.getFontMetrics().stringWidth("0"), bottom);
    }
}

package dev.skiff.cli.internal;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Reports the progress of a long run from a background thread: on a terminal a bar redrawn in place five
 * times a second (records/s, MB/s, latency of the last window), otherwise one plain line per interval so
 * logs stay readable.
 *
 * <p>The counters are read through suppliers (cumulative records and bytes), so the loop that does the
 * work only bumps counters and never formats or prints.
 */
public final class Progress implements AutoCloseable {
    private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final boolean UNICODE = Charset.defaultCharset().equals(StandardCharsets.UTF_8);

    /**
     * What happened in one reporting window and since the start.
     *
     * @param records       records so far
     * @param bytes         bytes so far
     * @param elapsedNanos  time since start
     * @param windowRecords records in this window
     * @param windowBytes   bytes in this window
     * @param windowNanos   length of this window
     * @param latency       latencies (µs) of this window, or null when not measured
     */
    public record Window(long records, long bytes, long elapsedNanos, long windowRecords, long windowBytes,
                         long windowNanos, Histogram latency) {
        /** Records per second in this window. */
        public double recordsPerSecond() {
            return Terminal.perSecond(windowRecords, windowNanos);
        }

        /** MB (2^20 bytes) per second in this window. */
        public double megabytesPerSecond() {
            return Terminal.perSecond(windowBytes, windowNanos) / (1024 * 1024);
        }
    }

    private final Terminal terminal;
    private final PrintWriter out;
    private final String label;
    private final long total;
    private final LongSupplier records;
    private final LongSupplier bytes;
    private final LongSupplier done;
    private final long doneTotal;
    private final LatencyRecorder latency;
    private final long plainIntervalNanos;
    private final Function<Window, String> plainLine;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private final long startNanos;
    private long lastNanos;
    private long lastRecords;
    private long lastBytes;
    private volatile boolean closed;

    private Progress(Builder b) {
        this.terminal = b.terminal;
        this.out = b.out;
        this.label = b.label;
        this.total = b.total;
        this.records = b.records;
        this.bytes = b.bytes;
        this.done = b.done != null ? b.done : b.records;
        this.doneTotal = b.done != null ? b.doneTotal : b.total;
        this.latency = b.latency;
        this.plainIntervalNanos = b.plainInterval.toNanos();
        this.plainLine = b.plainLine != null ? b.plainLine : w -> label + defaultPlainLine(w);
        this.startNanos = System.nanoTime();
        this.lastNanos = startNanos;
        this.thread = new Thread(this::run, "skiff-progress");
        thread.setDaemon(true);
    }

    /** A progress report writing to {@code out}, a bar or plain lines as {@code terminal} says. */
    public static Builder builder(Terminal terminal, PrintWriter out) {
        return new Builder(terminal, out);
    }

    /** Settings of a {@link Progress}; {@link #start()} begins reporting. */
    public static final class Builder {
        private final Terminal terminal;
        private final PrintWriter out;
        private String label = "";
        private long total = -1;
        private LongSupplier records = () -> 0;
        private LongSupplier bytes = () -> 0;
        private LongSupplier done;
        private long doneTotal = -1;
        private LatencyRecorder latency;
        private Duration plainInterval = Duration.ofSeconds(5);
        private Function<Window, String> plainLine;

        private Builder(Terminal terminal, PrintWriter out) {
            this.terminal = terminal;
            this.out = out;
        }

        /** Text before the bar or line. */
        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /** Cumulative records done, and how many are expected (-1: unknown, no percentage). */
        public Builder records(LongSupplier records, long total) {
            this.records = records;
            this.total = total;
            return this;
        }

        /** Cumulative bytes done, for MB/s. */
        public Builder bytes(LongSupplier bytes) {
            this.bytes = bytes;
            return this;
        }

        /** The bar's fill from another measure than records, e.g. bytes read of a file of {@code total} bytes. */
        public Builder fraction(LongSupplier done, long total) {
            this.done = done;
            this.doneTotal = total;
            return this;
        }

        /** Latencies to show per window (p99 on the bar). */
        public Builder latency(LatencyRecorder latency) {
            this.latency = latency;
            return this;
        }

        /** How often a plain line is printed when not on a terminal. */
        public Builder plainInterval(Duration interval) {
            this.plainInterval = interval;
            return this;
        }

        /** Formats plain lines instead of the default. */
        public Builder plainLine(Function<Window, String> format) {
            this.plainLine = format;
            return this;
        }

        /** Starts the reporting thread. */
        public Progress start() {
            final Progress p = new Progress(this);
            p.thread.start();
            return p;
        }
    }

    private void run() {
        final long period = terminal.isInteractive() ? REDRAW_NANOS : plainIntervalNanos;
        try {
            while (!stop.await(period, TimeUnit.NANOSECONDS)) {
                report(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void report(boolean last) {
        final long now = System.nanoTime();
        final long r = records.getAsLong();
        final long b = bytes.getAsLong();
        final Histogram window = latency == null ? null : latency.interval();
        final Window w = new Window(r, b, now - startNanos, r - lastRecords, b - lastBytes, now - lastNanos, window);
        lastNanos = now;
        lastRecords = r;
        lastBytes = b;
        if (terminal.isInteractive()) {
            out.print("\r" + bar(w, last ? wholeRun(w) : w));
            if (last) {
                out.println();
            }
            out.flush();
        } else if (!last && w.windowRecords() > 0) {
            out.println(plainLine.apply(w));
            out.flush();
        }
    }

    /** The final bar shows rates over the whole run, not the last fraction of a second. */
    private static Window wholeRun(Window w) {
        return new Window(w.records(), w.bytes(), w.elapsedNanos(), w.records(), w.bytes(), w.elapsedNanos(),
                w.latency());
    }

    /** The bar line for a window (package-private for tests). */
    String bar(Window w, Window rates) {
        final StringBuilder line = new StringBuilder();
        line.append(label).append(' ');
        final String counts;
        if (doneTotal > 0) {
            final double fraction = Math.min(1.0, (double) done.getAsLong() / doneTotal);
            final int cells = 24;
            final int full = (int) Math.round(fraction * cells);
            line.append('[').append(terminal.green(repeat(UNICODE ? '\u2588' : '#', full)))
                    .append(terminal.dim(repeat(UNICODE ? '\u2591' : '-', cells - full))).append("] ")
                    .append(String.format(Locale.ROOT, "%3.0f%% ", fraction * 100));
            counts = total > 0 ? Terminal.count(w.records()) + "/" + Terminal.count(total)
                    : Terminal.count(w.records()) + " records";
        } else {
            counts = Terminal.count(w.records()) + " records";
        }
        line.append(counts).append(String.format(Locale.ROOT, "  %s rec/s  %.1f MB/s",
                Terminal.count(Math.round(rates.recordsPerSecond())), rates.megabytesPerSecond()));
        if (w.latency() != null && w.latency().getTotalCount() > 0) {
            line.append("  p99 ").append(Percentiles.fmt(w.latency().getValueAtPercentile(99) / 1000.0)).append(" ms");
        }
        // Clear what a longer previous line left behind.
        final int visible = visibleLength(line);
        if (visible < terminal.width() - 1) {
            line.append(" ".repeat(terminal.width() - 1 - visible));
        }
        return line.toString();
    }

    private static int visibleLength(CharSequence s) {
        int n = 0;
        boolean escape = false;
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c == '\u001b') {
                escape = true;
            } else if (escape) {
                escape = c != 'm';
            } else {
                n++;
            }
        }
        return n;
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(Math.max(0, n));
    }

    private static String defaultPlainLine(Window w) {
        return String.format(Locale.ROOT, "%s records, %.1f records/sec (%.2f MB/sec)", Terminal.count(w.records()),
                w.recordsPerSecond(), w.megabytesPerSecond());
    }

    /** Stops reporting; on a terminal the bar is drawn one last time (over the whole run) and ended. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop.countDown();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        report(true);
    }
}

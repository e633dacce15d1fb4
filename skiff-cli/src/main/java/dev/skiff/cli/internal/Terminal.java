package dev.skiff.cli.internal;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * What the command's output is attached to: an interactive terminal (progress bars redrawn in place,
 * colour) or a pipe, file or CI log (plain lines, no escape codes).
 *
 * <p>Why a class: the decision is made once per command and tests must be able to force either mode,
 * since under Maven there is never a console.
 */
public final class Terminal {
    private static final String RESET = "\u001b[0m";

    private final boolean interactive;
    private final boolean colour;
    private final int width;

    private Terminal(boolean interactive, boolean colour, int width) {
        this.interactive = interactive;
        this.colour = colour;
        this.width = width;
    }

    /**
     * Detects the terminal: interactive when the JVM has a console attached to a tty, {@code CI} is not set
     * and {@code TERM} is not {@code dumb}; colour unless {@code NO_COLOR} is set.
     */
    public static Terminal detect() {
        final boolean tty = isTty(System.console()) && System.getenv("CI") == null
                && !"dumb".equals(System.getenv("TERM"));
        return new Terminal(tty, tty && System.getenv("NO_COLOR") == null, columns());
    }

    /** Plain output: no redraws, no colour (pipes, files, tests). */
    public static Terminal plain() {
        return new Terminal(false, false, 80);
    }

    /** Forced interactive output, for tests of the progress bar. */
    public static Terminal interactive(int width, boolean colour) {
        return new Terminal(true, colour, width);
    }

    private static boolean isTty(Console console) {
        if (console == null) {
            return false;
        }
        // JDK 22+ returns a console even when redirected; isTerminal() tells the truth there.
        try {
            final Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private static int columns() {
        final String env = System.getenv("COLUMNS");
        if (env != null) {
            try {
                return Math.max(40, Integer.parseInt(env.trim()));
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
        }
        return 100;
    }

    /** True when progress may be redrawn in place with carriage returns. */
    public boolean isInteractive() {
        return interactive;
    }

    /** Columns available for a progress line. */
    public int width() {
        return width;
    }

    /** {@code text} in bold when colour is on. */
    public String bold(String text) {
        return style("1", text);
    }

    /** {@code text} in green when colour is on. */
    public String green(String text) {
        return style("32", text);
    }

    /** {@code text} in red when colour is on. */
    public String red(String text) {
        return style("31", text);
    }

    /** {@code text} in cyan when colour is on. */
    public String cyan(String text) {
        return style("36", text);
    }

    /** {@code text} dimmed when colour is on. */
    public String dim(String text) {
        return style("2", text);
    }

    private String style(String code, String text) {
        return colour ? "\u001b[" + code + "m" + text + RESET : text;
    }

    /** 1234567 as "1,234,567". */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Bytes as "12.3 MB", where a MB is 2^20 bytes as in Kafka's perf tools. */
    public static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    /** Nanoseconds as seconds with two decimals, e.g. "2.41 s". */
    public static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** {@code value} per second over {@code nanos}, or 0 when no time passed. */
    public static double perSecond(double value, long nanos) {
        return nanos <= 0 ? 0 : value * 1e9 / nanos;
    }
}

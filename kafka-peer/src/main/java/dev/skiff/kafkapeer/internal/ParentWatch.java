package dev.skiff.kafkapeer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Child-JVM entry point that runs another main class and dies with its parent.
 *
 * <p>Why: a JVM shutdown hook in the test JVM cleans up on normal exit and SIGTERM, but not when Surefire or a
 * developer SIGKILLs the test JVM; Kafka brokers would then live on, holding ports and CPU on a shared 2-core
 * machine. The parent keeps this process's stdin pipe open and never writes to it. When the parent dies, for any
 * reason, the kernel closes the pipe, the watcher thread reads end-of-file and halts the JVM at once, like the
 * SIGKILL the parent would have sent.
 *
 * <p>Usage: {@code java -cp ... dev.skiff.kafkapeer.internal.ParentWatch <main class> [args...]}, e.g.
 * {@code ParentWatch kafka.Kafka server.properties}. Everything else (signals, exit codes, output) is the
 * wrapped program's own.
 */
public final class ParentWatch {
    /** Exit status used when the parent disappears: 128 + SIGKILL, as if the parent had killed us. */
    public static final int ORPHANED_EXIT_STATUS = 137;

    private ParentWatch() {
    }

    public static void main(final String[] args) throws Throwable {
        if (args.length < 1) {
            System.err.println("usage: ParentWatch <main class> [args...]");
            System.exit(2);
        }
        watchParent(System.in);
        final Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Starts a daemon thread that halts the JVM once {@code parentPipe} reaches end-of-file or breaks. */
    static void watchParent(final InputStream parentPipe) {
        final Thread watcher = new Thread(() -> {
            final byte[] discard = new byte[64];
            try {
                while (parentPipe.read(discard) >= 0) {
                    // The parent never writes; anything that arrives is ignored.
                }
            } catch (IOException ignored) {
                // A broken pipe means the same as end-of-file: the parent is gone.
            }
            // halt, not exit: an orphan must not wait on shutdown hooks that may block for a long time.
            Runtime.getRuntime().halt(ORPHANED_EXIT_STATUS);
        }, "kafka-peer-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}

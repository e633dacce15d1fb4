package dev.skiff.cli.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM as a flag a command's loop polls, so it can stop sending, flush, print its
 * summary and close its clients instead of dying mid-line.
 *
 * <p>How: a shutdown hook raises the flag, runs an optional action (for example waking a blocked poll),
 * then waits, up to a bound, for the command to {@link #close()} this signal, which it does once the
 * summary is out. The JVM exits when the hook returns.
 */
public final class StopSignal implements AutoCloseable {
    private static final long GRACE_SECONDS = 15;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private final Runnable onStop;
    private volatile boolean stopped;

    private StopSignal(Runnable onStop) {
        this.onStop = onStop;
        this.hook = new Thread(this::signalled, "skiff-stop");
    }

    /** Installs the hook; {@code onStop} (may be null) runs on the hook thread when the signal comes. */
    public static StopSignal install(Runnable onStop) {
        final StopSignal signal = new StopSignal(onStop);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    private void signalled() {
        stopped = true;
        if (onStop != null) {
            onStop.run();
        }
        try {
            done.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once Ctrl-C or SIGTERM arrived (or {@link #stop()} was called). */
    public boolean stopped() {
        return stopped;
    }

    /** Raises the flag from inside the process (tests, or a command ending early). */
    public void stop() {
        stopped = true;
    }

    /** The command is finished: lets a waiting hook return and removes the hook otherwise. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and now returns
        }
    }
}

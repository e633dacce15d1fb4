package dev.skiff.broker.internal.group;

import java.time.Clock;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link CoordinatorScheduler}: one daemon thread ({@code skiff-group-coordinator}).
 *
 * <p>A task that throws is logged and the thread carries on: one bad request must not stop every
 * group's timers. Tasks submitted after {@link #close()} are dropped quietly, because handlers may
 * still be answering requests while the broker shuts down.
 */
public final class ThreadScheduler implements CoordinatorScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadScheduler.class);

    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;

    public ThreadScheduler(Clock clock) {
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            final Thread t = new Thread(r, "skiff-group-coordinator");
            t.setDaemon(true);
            return t;
        });
        // Pending timers are dropped at close; the thread is never interrupted, because an interrupt
        // during a log write would close the segment's channel for every reader (NIO semantics).
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nowMs() {
        return clock.millis();
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(() -> runSafely(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("Group coordinator closed; task dropped");
        }
    }

    @Override
    public void schedule(Runnable task, long delayMs) {
        try {
            executor.schedule(() -> runSafely(task), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Group coordinator closed; timer dropped");
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | AssertionError e) {
            LOG.error("Group coordinator task failed", e);
        }
    }

    /** Stops the thread after the queued tasks, waiting briefly so the log is not closed under a write. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Group coordinator thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

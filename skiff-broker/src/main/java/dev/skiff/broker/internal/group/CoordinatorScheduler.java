package dev.skiff.broker.internal.group;

/**
 * The one thread the group coordinator's state lives on, and its clock.
 *
 * <p>Every change to a group happens in a task run here, so groups need no locks; request handlers
 * hand their work over with {@link #execute} and timers re-enter with {@link #schedule}. Tests substitute
 * a manual implementation whose clock they advance.
 */
public interface CoordinatorScheduler extends AutoCloseable {
    /** Current time in ms. */
    long nowMs();

    /** Runs {@code task} on the coordinator thread, soon. */
    void execute(Runnable task);

    /** Runs {@code task} on the coordinator thread after {@code delayMs}. */
    void schedule(Runnable task, long delayMs);

    /** Stops running tasks; tasks not yet run are dropped. */
    @Override
    void close();
}

package dev.skiff.broker.internal.group;

import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * A {@link CoordinatorScheduler} for tests: tasks run on the calling thread, timers fire when the test
 * advances the clock to them. Tasks submitted while another runs are queued, as on a real single thread,
 * and a timer already due (a delay of 0) runs once the queue is empty, as it would on that thread.
 */
final class ManualScheduler implements CoordinatorScheduler {
    private record Timer(long atMs, long seq, Runnable task) {
    }

    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.atMs != b.atMs
            ? Long.compare(a.atMs, b.atMs) : Long.compare(a.seq, b.seq));
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private long now;
    private long seq;
    private boolean running;
    private boolean closed;

    ManualScheduler(long startMs) {
        this.now = startMs;
    }

    @Override
    public long nowMs() {
        return now;
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            return;
        }
        queue.add(task);
        drain();
    }

    @Override
    public void schedule(Runnable task, long delayMs) {
        if (!closed) {
            timers.add(new Timer(now + Math.max(0, delayMs), seq++, task));
        }
    }

    /** Moves the clock forward by {@code ms}, running every timer that falls due, in order. */
    void advance(long ms) {
        final long target = now + ms;
        while (!timers.isEmpty() && timers.peek().atMs <= target) {
            final Timer t = timers.poll();
            now = Math.max(now, t.atMs);
            execute(t.task);
        }
        now = target;
    }

    int pendingTimers() {
        return timers.size();
    }

    private void drain() {
        if (running) {
            return;
        }
        running = true;
        try {
            while (true) {
                Runnable r = queue.poll();
                if (r == null && !timers.isEmpty() && timers.peek().atMs <= now) {
                    r = timers.poll().task;
                }
                if (r == null) {
                    break;
                }
                r.run();
            }
        } finally {
            running = false;
        }
    }

    /** Accepts tasks again after {@link #close()} (a coordinator restart in the same test). */
    void reopen() {
        closed = false;
    }

    @Override
    public void close() {
        closed = true;
        timers.clear();
    }
}

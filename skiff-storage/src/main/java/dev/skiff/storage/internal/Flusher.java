package dev.skiff.storage.internal;

import dev.skiff.storage.LogStorageException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-commit thread: the only place Skiff calls fsync on log data.
 *
 * <p>Why a thread of its own: an fsync takes from tens of microseconds to tens of milliseconds and must never
 * stall a network event loop. Appenders enqueue "make offset N of log L durable" and get a future; the flusher
 * wakes, takes every request waiting at that moment, fsyncs each log named once (up to its current end, which
 * covers all of them), then completes the futures. The more producers wait, the more each fsync covers.
 *
 * <p>Each cycle runs as a unit of work that never throws: a failing log fails its own futures with
 * {@link LogStorageException} and the thread carries on. Futures complete on this thread, so their
 * continuations should be short or hop to another executor.
 */
public final class Flusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);
    private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
    /** Held while a cycle runs; tests hold it to make requests pile up deterministically. */
    private final Semaphore cycleGate = new Semaphore(1);
    private final LongAdder fsyncs = new LongAdder();
    private final LongAdder cycles = new LongAdder();
    private final Runnable afterCycle;
    private final Thread thread;
    private volatile boolean running = true;

    private static final class Request {
        final FlushTarget target;
        final long offset;
        final CompletableFuture<Void> future;

        Request(FlushTarget target, long offset, CompletableFuture<Void> future) {
            this.target = target;
            this.offset = offset;
            this.future = future;
        }
    }

    /**
     * @param threadName name of the daemon thread
     * @param afterCycle run after each cycle's futures completed (checkpointing); must not throw
     */
    public Flusher(String threadName, Runnable afterCycle) {
        this.afterCycle = afterCycle;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** A future completed once {@code target} is durable up to {@code offset} (exclusive). */
    public CompletableFuture<Void> request(FlushTarget target, long offset) {
        final CompletableFuture<Void> future = new CompletableFuture<>();
        enqueue(new Request(target, offset, future));
        return future;
    }

    /** Asks for a flush nobody waits for (after a roll, to advance the recovery point). */
    public void requestBackground(FlushTarget target, long offset) {
        enqueue(new Request(target, offset, null));
    }

    private void enqueue(Request request) {
        queue.add(request);
        if (running) {
            LockSupport.unpark(thread);
        } else {
            failLeftovers();
        }
    }

    /** Data-file fsyncs done so far. */
    public long fsyncCount() {
        return fsyncs.sum();
    }

    /** Flush cycles run so far. */
    public long cycleCount() {
        return cycles.sum();
    }

    /** Waits for a running cycle to end and keeps the next from starting until {@link #resume()}. */
    public void pause() {
        cycleGate.acquireUninterruptibly();
    }

    /** Lets cycles run again. */
    public void resume() {
        cycleGate.release();
        LockSupport.unpark(thread);
    }

    private void run() {
        final List<Request> batch = new ArrayList<>();
        final Map<FlushTarget, Throwable> failures = new IdentityHashMap<>();
        final List<FlushTarget> targets = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            if (queue.isEmpty()) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                continue;
            }
            cycleGate.acquireUninterruptibly();
            try {
                cycle(batch, targets, failures);
            } catch (Throwable t) {
                LOG.error("Flush cycle failed unexpectedly", t);
                for (Request r : batch) {
                    fail(r, t);
                }
            } finally {
                batch.clear();
                targets.clear();
                failures.clear();
                cycleGate.release();
            }
            try {
                afterCycle.run();
            } catch (Throwable t) {
                LOG.error("Post-flush work failed", t);
            }
        }
    }

    private void cycle(List<Request> batch, List<FlushTarget> targets, Map<FlushTarget, Throwable> failures) {
        Request r;
        while ((r = queue.poll()) != null) {
            batch.add(r);
            if (!containsIdentity(targets, r.target)) {
                targets.add(r.target);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        cycles.increment();
        for (FlushTarget target : targets) {
            try {
                target.flush(fsyncs);
            } catch (Throwable t) {
                LOG.error("fsync of {} failed", target.name(), t);
                failures.put(target, t);
            }
        }
        for (Request request : batch) {
            final Throwable failure = failures.get(request.target);
            if (failure != null) {
                fail(request, failure);
            } else if (request.target.durableOffset() >= request.offset) {
                if (request.future != null) {
                    request.future.complete(null);
                }
            } else {
                fail(request, new IllegalStateException("offset " + request.offset + " of " + request.target.name()
                        + " is beyond its log end"));
            }
        }
    }

    private static boolean containsIdentity(List<FlushTarget> targets, FlushTarget target) {
        for (FlushTarget t : targets) {
            if (t == target) {
                return true;
            }
        }
        return false;
    }

    private static void fail(Request request, Throwable cause) {
        if (request.future != null) {
            request.future.completeExceptionally(cause instanceof LogStorageException ? cause
                    : new LogStorageException("fsync of " + request.target.name() + " failed", cause));
        }
    }

    private void failLeftovers() {
        Request r;
        while ((r = queue.poll()) != null) {
            fail(r, new LogStorageException("The log manager is closed"));
        }
    }

    /** Finishes the requests already queued, then stops the thread. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        failLeftovers();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

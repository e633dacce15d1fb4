package dev.skiff.storage.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background thread that compacts logs: runs a cleaning pass over every compacted log, and when no log
 * needed work, sleeps for log.cleaner.backoff.ms, as Kafka's cleaner threads do.
 *
 * <p>Why not the retention scheduler: a pass may rewrite a whole log and take long, and must not delay
 * retention or producer expiry. The thread is never interrupted, because an interrupt during a read closes the
 * shared segment channel for every reader (NIO semantics); it is woken by unpark and checks a flag instead. The
 * pass itself never throws ({@code pass} handles each log's failure), so the loop cannot die.
 */
public final class LogCleaner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    private final IntSupplier pass;
    private final long backoffNanos;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param pass      cleans every log that is due and returns how many were cleaned
     * @param backoffMs sleep after a pass that cleaned nothing; the first pass also waits this long
     */
    public LogCleaner(String threadName, long backoffMs, IntSupplier pass) {
        this.pass = pass;
        this.backoffNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1L, backoffMs));
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        sleep();
        while (running) {
            int cleaned;
            try {
                cleaned = pass.getAsInt();
            } catch (RuntimeException e) {
                LOG.error("Log cleaner pass failed", e);
                cleaned = 0;
            }
            if (cleaned == 0) {
                sleep();
            }
        }
    }

    private void sleep() {
        final long deadline = System.nanoTime() + backoffNanos;
        long left;
        while (running && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
        }
    }

    /** Stops the thread after the pass in progress, if any, and waits for it. */
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
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.skiff.client.producer.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The producer's buffer.memory: batch buffers of batch.size are pooled and reused; other sizes are
 * allocated and only their bytes are accounted. Records waiting for their topic's metadata hold
 * plain reservations.
 *
 * <p>Design note: nothing here blocks while a caller holds another lock. Allocation is try-only
 * ({@link #tryAllocate}); a sending thread that finds no room lets go of its locks and waits in
 * {@link #awaitAvailable}, then tries again. That keeps the sender thread, which frees memory, from
 * ever waiting on a thread that waits for memory.
 */
public final class BufferPool {
    private final long totalMemory;
    private final int poolableSize;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    /** Bytes not in use and not sitting in {@link #free}. */
    private long unallocated;
    private boolean closed;

    public BufferPool(long totalMemory, int poolableSize) {
        this.totalMemory = totalMemory;
        this.poolableSize = poolableSize;
        this.unallocated = totalMemory;
    }

    public long totalMemory() {
        return totalMemory;
    }

    /** Bytes that can be handed out now. */
    public long availableMemory() {
        lock.lock();
        try {
            return unallocated + (long) free.size() * poolableSize;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A cleared buffer of exactly {@code size} bytes, or null when memory is short.
     *
     * @param credit bytes the caller already holds by {@link #tryReserve} and gives up if this succeeds
     */
    public ByteBuffer tryAllocate(int size, int credit) {
        lock.lock();
        try {
            if (size == poolableSize && !free.isEmpty()) {
                unallocated += credit;
                return free.pollFirst();
            }
            if (unallocated + credit + (long) free.size() * poolableSize < size) {
                return null;
            }
            unallocated += credit;
            while (unallocated < size) {
                free.pollLast();
                unallocated += poolableSize;
            }
            unallocated -= size;
        } finally {
            lock.unlock();
        }
        // Heap buffers: compression reads the backing array directly, and allocation happens outside the lock.
        return ByteBuffer.allocate(size);
    }

    /** Returns a buffer from {@link #tryAllocate}. */
    public void deallocate(ByteBuffer buffer) {
        lock.lock();
        try {
            if (buffer.capacity() == poolableSize && !closed) {
                free.addLast(buffer.clear());
            } else {
                unallocated += buffer.capacity();
            }
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code bytes} without a buffer, or returns false when memory is short. */
    public boolean tryReserve(int bytes) {
        lock.lock();
        try {
            if (unallocated + (long) free.size() * poolableSize < bytes) {
                return false;
            }
            while (unallocated < bytes) {
                free.pollLast();
                unallocated += poolableSize;
            }
            unallocated -= bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a {@link #tryReserve} reservation. */
    public void release(int bytes) {
        if (bytes <= 0) {
            return;
        }
        lock.lock();
        try {
            unallocated += bytes;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code size} bytes are free (then the caller tries again), the deadline passes or the
     * pool closes. Call without holding other locks.
     *
     * @return false when the deadline passed first
     */
    public boolean awaitAvailable(int size, long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && unallocated + (long) free.size() * poolableSize < size) {
                final long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                freed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter; later waits return at once. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            free.clear();
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

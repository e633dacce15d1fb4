package dev.skiff.client.producer.internal;

import dev.skiff.client.internal.TopicInfo;
import dev.skiff.client.producer.Callback;
import dev.skiff.client.producer.Partitioner;
import dev.skiff.client.producer.ProducerException;
import dev.skiff.client.producer.RecordMetadata;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.record.Header;
import dev.skiff.protocol.record.RecordBatchBuilder;

import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Places serialized records: picks the partition and appends to the accumulator, or, while a topic's
 * partitions are unknown, parks the record in the topic's {@link TopicRoute} until the sender has
 * metadata. That is why {@code send} never waits for the network: the first record of a new topic
 * waits inside the producer, not in the caller's thread.
 *
 * <p>Order per topic is kept: once a record is parked, later records of the topic park behind it
 * until the sender has placed them all.
 */
public final class RecordRouter {
    /** {@link #append} result meaning the record was placed, parked or failed (its future says which). */
    public static final int DONE = 0;
    /** Internal {@link #place} result: appended, and a batch became ready early (wake the sender). */
    private static final int BATCH_READY = -1;

    private final ConcurrentHashMap<String, TopicRoute> routes = new ConcurrentHashMap<>();
    private final RecordAccumulator accumulator;
    private final BufferPool pool;
    private final Partitioner custom;
    private final boolean ignoreKeys;
    private final int batchSize;
    private final boolean adaptive;
    private final Runnable wakeup;
    private final java.util.function.Function<String, TopicRoute> newRoute;

    public RecordRouter(RecordAccumulator accumulator, Partitioner custom, boolean ignoreKeys, int batchSize,
                        boolean adaptive, Runnable wakeup) {
        this.accumulator = accumulator;
        this.pool = accumulator.pool();
        this.custom = custom;
        this.ignoreKeys = ignoreKeys;
        this.batchSize = batchSize;
        this.adaptive = adaptive;
        this.wakeup = wakeup;
        this.newRoute = t -> new TopicRoute(t, batchSize, adaptive, accumulator);
    }

    Collection<TopicRoute> routes() {
        return routes.values();
    }

    /**
     * Places one record without blocking.
     *
     * @return {@link #DONE}, or the number of bytes of buffer.memory it waits for (the caller waits for
     *     memory without holding locks, then calls again)
     */
    public int append(String topic, Integer partition, Object key, Object value, byte[] keyBytes, byte[] valueBytes,
                      Header[] headers, long timestamp, CompletableFuture<RecordMetadata> future, Callback callback,
                      long nowMs) {
        TopicRoute route = routes.get(topic);
        if (route == null) {
            route = routes.computeIfAbsent(topic, newRoute);
        }
        boolean wake = false;
        try {
            synchronized (route) {
                if (!route.placeable()) {
                    final int size = RecordBatchBuilder.estimateBatchSize(keyBytes == null ? -1 : keyBytes.length,
                            valueBytes == null ? -1 : valueBytes.length, headers);
                    if (!pool.tryReserve(size)) {
                        return size;
                    }
                    if (route.pending.isEmpty()) {
                        route.waitingSinceNanos = System.nanoTime();
                        wake = true;
                    }
                    route.pending.add(new PendingRecord(partition, key, value, keyBytes, valueBytes, headers,
                            timestamp, future, callback, size));
                    return DONE;
                }
                // The common case: no PendingRecord, nothing allocated on the way into the accumulator.
                final int result = place(route, partition, key, value, keyBytes, valueBytes, headers, timestamp,
                        future, callback, 0, nowMs);
                wake = result == RecordAccumulator.NEW_BATCH || result == BATCH_READY;
                return result == RecordAccumulator.NO_MEMORY
                        ? accumulator.batchBufferSize(keyBytes == null ? -1 : keyBytes.length,
                        valueBytes == null ? -1 : valueBytes.length, headers)
                        : DONE;
            }
        } finally {
            if (wake) {
                wakeup.run();
            }
        }
    }

    private int place(TopicRoute route, PendingRecord r, long nowMs) {
        return place(route, r.partition, r.key, r.value, r.keyBytes, r.valueBytes, r.headers, r.timestamp, r.future,
                r.callback, r.reserved, nowMs);
    }

    /**
     * Chooses the partition and appends; fails the record at once when its explicit partition does
     * not exist. Caller holds the route's lock.
     *
     * @param reserved bytes the record holds by {@link BufferPool#tryReserve} (0 when placed directly)
     * @return an accumulator result (APPENDED for a failed record), or {@link #BATCH_READY} when the record
     *     was appended and the sticky partitioner moved on, leaving a batch that should go without linger.ms
     */
    private int place(TopicRoute route, Integer partition, Object key, Object value, byte[] keyBytes,
                      byte[] valueBytes, Header[] headers, long timestamp, CompletableFuture<RecordMetadata> future,
                      Callback callback, int reserved, long nowMs) {
        final TopicInfo info = route.info;
        final int count = info.partitionCount();
        int p;
        if (partition != null) {
            p = partition;
            if (p >= count) {
                pool.release(reserved);
                fail(future, callback, new ProducerException("Partition " + p + " of topic '" + route.topic
                        + "' does not exist: the topic has " + count + " partition(s), 0.." + (count - 1)
                        + "; send to an existing partition or add partitions to the topic",
                        Errors.UNKNOWN_TOPIC_OR_PARTITION, null));
                return RecordAccumulator.APPENDED;
            }
        } else {
            p = Partitioner.USE_DEFAULT;
            if (custom != null) {
                p = custom.partition(route.topic, key, keyBytes, value, valueBytes, count);
                if (p != Partitioner.USE_DEFAULT && (p < 0 || p >= count)) {
                    pool.release(reserved);
                    fail(future, callback, new ProducerException("Partitioner " + custom.getClass().getName()
                            + " chose partition " + p + " for topic '" + route.topic + "', which has partitions 0.."
                            + (count - 1)));
                    return RecordAccumulator.APPENDED;
                }
            }
            if (p == Partitioner.USE_DEFAULT) {
                if (keyBytes != null && !ignoreKeys) {
                    p = Murmur2.partitionForKey(keyBytes, count);
                } else {
                    p = route.sticky.partition(count, route.leaderOf, route.queueSize);
                }
            }
        }
        final TopicPartition tp = route.partition(p);
        final int result = accumulator.tryAppend(tp, timestamp, keyBytes, valueBytes, headers, future, callback,
                nowMs, reserved);
        if (result == RecordAccumulator.NO_MEMORY) {
            return result;
        }
        if (result == RecordAccumulator.APPENDED) {
            pool.release(reserved);
        }
        if (partition == null && (keyBytes == null || ignoreKeys)) {
            final int size = RecordBatchBuilder.estimateRecordSize(keyBytes == null ? -1 : keyBytes.length,
                    valueBytes == null ? -1 : valueBytes.length, headers);
            if (route.sticky.onAppend(p, size, count, route.leaderOf, route.queueSize)) {
                // About batch.size went to p and keyless records now go elsewhere: its batch is complete, so
                // send it now rather than after linger.ms (what makes sticky batches cheap in latency too).
                accumulator.markFull(tp);
                return BATCH_READY;
            }
        }
        return result;
    }

    private static void fail(CompletableFuture<RecordMetadata> future, Callback callback, RuntimeException e) {
        if (callback != null) {
            try {
                callback.onCompletion(null, e);
            } catch (RuntimeException ignored) {
                // a throwing callback must not stop the others
            }
        }
        future.completeExceptionally(e);
    }

    /**
     * Sender thread: records the latest metadata for a route and places its parked records. Stops at
     * the first record that finds no memory (it is tried again on the next pass).
     *
     * @return whether a new batch was created
     */
    boolean update(TopicRoute route, TopicInfo info, long nowMs) {
        boolean newBatch = false;
        synchronized (route) {
            route.info = info;
            if (info == null || info.error() != Errors.NONE || info.partitionCount() == 0) {
                return false;
            }
            final Iterator<PendingRecord> it = route.pending.iterator();
            while (it.hasNext()) {
                final PendingRecord r = it.next();
                int result = place(route, r, nowMs);
                if (result == RecordAccumulator.NO_MEMORY && borrowReservations(route, r) > 0) {
                    result = place(route, r, nowMs);
                }
                if (result == RecordAccumulator.NO_MEMORY) {
                    break;
                }
                newBatch |= result == RecordAccumulator.NEW_BATCH || result == BATCH_READY;
                it.remove();
            }
            route.waitingSinceNanos = System.nanoTime();
        }
        return newBatch;
    }

    /**
     * Frees the reservations of the newest parked records (they keep their place in line, and take memory
     * like any record when their turn comes) until {@code first} could get a batch buffer.
     *
     * <p>Why: parked records each reserve about their own size, but placing the first of them needs a whole
     * batch buffer. When records parked faster than metadata came (a new topic, a slow broker) their
     * reservations can cover all of buffer.memory, and without this nothing could ever be placed again:
     * the sender would wait for memory that only placing (then sending) these records frees.
     *
     * @return bytes given back to the pool
     */
    private int borrowReservations(TopicRoute route, PendingRecord first) {
        final int need = accumulator.batchBufferSize(first.keyBytes == null ? -1 : first.keyBytes.length,
                first.valueBytes == null ? -1 : first.valueBytes.length, first.headers) - first.reserved;
        int borrowed = 0;
        final Iterator<PendingRecord> newest = route.pending.descendingIterator();
        while (borrowed < need && newest.hasNext()) {
            final PendingRecord r = newest.next();
            if (r == first) {
                break;
            }
            borrowed += r.reserved;
            r.reserved = 0;
        }
        pool.release(borrowed);
        return borrowed;
    }

    /** Sender thread: fails every parked record of {@code route} with {@code e}. */
    void failPending(TopicRoute route, RuntimeException e) {
        synchronized (route) {
            while (!route.pending.isEmpty()) {
                final PendingRecord r = route.pending.pollFirst();
                pool.release(r.reserved);
                r.fail(e);
            }
        }
    }

    /** Whether any record is parked. */
    public boolean hasPending() {
        for (TopicRoute route : routes.values()) {
            synchronized (route) {
                if (!route.pending.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Futures of every parked record, for flush. */
    public java.util.List<CompletableFuture<?>> pendingFutures() {
        final java.util.List<CompletableFuture<?>> list = new java.util.ArrayList<>();
        for (TopicRoute route : routes.values()) {
            synchronized (route) {
                for (PendingRecord r : route.pending) {
                    list.add(r.future);
                }
            }
        }
        return list;
    }
}

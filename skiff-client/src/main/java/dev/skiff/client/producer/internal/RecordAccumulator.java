package dev.skiff.client.producer.internal;

import dev.skiff.client.producer.Callback;
import dev.skiff.client.producer.RecordMetadata;
import dev.skiff.protocol.record.CompressionType;
import dev.skiff.protocol.record.Header;
import dev.skiff.protocol.record.RecordBatchBuilder;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-partition queues of record batches written in place into buffers from the {@link BufferPool}.
 *
 * <p>Sending threads {@link #tryAppend}: into the partition's open batch if the record fits, else into
 * a new batch with a fresh buffer; nothing blocks here (see {@link BufferPool}). The sender thread
 * decides readiness and drains (see {@code Sender}). A batch is ready when it is full, when linger.ms
 * has passed since it was created, or when a flush or close is under way.
 */
public final class RecordAccumulator {
    /** {@link #tryAppend} results. */
    public static final int APPENDED = 0;
    public static final int NEW_BATCH = 1;
    public static final int NO_MEMORY = 2;
    /** Upper bound of a new batch's initial per-record array size (24 bytes a slot); beyond it they grow. */
    private static final int MAX_EXPECTED_RECORDS = 256;

    private final ConcurrentHashMap<TopicPartition, PartitionQueue> queues = new ConcurrentHashMap<>();
    private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
    private final BufferPool pool;
    private final int batchSize;
    private final CompressionType compression;

    public RecordAccumulator(BufferPool pool, int batchSize, CompressionType compression) {
        this.pool = pool;
        this.batchSize = batchSize;
        this.compression = compression;
    }

    public BufferPool pool() {
        return pool;
    }

    /** The buffer size a new batch for this record needs. */
    public int batchBufferSize(int keySize, int valueSize, Header[] headers) {
        return Math.max(batchSize, RecordBatchBuilder.estimateBatchSize(keySize, valueSize, headers));
    }

    PartitionQueue queue(TopicPartition tp) {
        return queues.computeIfAbsent(tp, PartitionQueue::new);
    }

    /** Batches waiting for {@code tp} (for adaptive partitioning); 0 if none. */
    public int queueSize(TopicPartition tp) {
        final PartitionQueue q = queues.get(tp);
        return q == null ? 0 : q.size;
    }

    Collection<PartitionQueue> queues() {
        return queues.values();
    }

    /**
     * Appends one record without blocking.
     *
     * @param credit reserved bytes the caller gives up if a new batch buffer is taken
     * @return {@link #APPENDED} (credit not used), {@link #NEW_BATCH} (credit used) or {@link #NO_MEMORY}
     */
    public int tryAppend(TopicPartition tp, long timestamp, byte[] key, byte[] value, Header[] headers,
                         CompletableFuture<RecordMetadata> future, Callback callback, long nowMs, int credit) {
        final PartitionQueue q = queue(tp);
        synchronized (q) {
            final ProducerBatch last = q.deque.peekLast();
            if (last != null && !last.isClosed() && last.tryAppend(timestamp, key, value, headers, future, callback)) {
                return APPENDED;
            }
            final int size = batchBufferSize(key == null ? -1 : key.length, value == null ? -1 : value.length,
                    headers);
            final ByteBuffer buffer = pool.tryAllocate(size, credit);
            if (buffer == null) {
                return NO_MEMORY;
            }
            // Records of one partition tend to be alike: size the batch's per-record arrays from this one
            // (capped, so a big batch.size with tiny records does not cost much when batches leave half empty).
            final int expected = Math.min(MAX_EXPECTED_RECORDS, buffer.capacity() / RecordBatchBuilder
                    .estimateRecordSize(key == null ? -1 : key.length, value == null ? -1 : value.length, headers) + 1);
            final ProducerBatch batch = new ProducerBatch(tp, buffer, compression, nowMs, expected);
            if (!batch.tryAppend(timestamp, key, value, headers, future, callback)) {
                pool.deallocate(buffer);
                throw new IllegalStateException("a record does not fit a batch buffer sized for it: " + size);
            }
            q.deque.addLast(batch);
            q.size = q.deque.size();
            incomplete.add(batch);
            return NEW_BATCH;
        }
    }

    /** Marks the open batch of {@code tp} (if any) ready regardless of linger.ms; see ProducerBatch#markFull. */
    void markFull(TopicPartition tp) {
        final PartitionQueue q = queues.get(tp);
        if (q == null) {
            return;
        }
        synchronized (q) {
            final ProducerBatch last = q.deque.peekLast();
            if (last != null && !last.isClosed()) {
                last.markFull();
            }
        }
    }

    /** Frees a finished batch's buffer. Sender thread. */
    void release(ProducerBatch batch) {
        incomplete.remove(batch);
        pool.deallocate(batch.buffer);
    }

    /** Batches appended and not yet completed, for flush. */
    public Collection<ProducerBatch> incomplete() {
        return incomplete;
    }

    /** Futures of every batch not yet completed. */
    public CompletableFuture<?>[] incompleteFutures() {
        return incomplete.stream().map(b -> b.done).toArray(CompletableFuture[]::new);
    }

    public boolean hasIncomplete() {
        return !incomplete.isEmpty();
    }
}

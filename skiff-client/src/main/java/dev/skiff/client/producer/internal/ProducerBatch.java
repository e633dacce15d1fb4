package dev.skiff.client.producer.internal;

import dev.skiff.client.producer.Callback;
import dev.skiff.client.producer.RecordMetadata;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.record.BatchHeader;
import dev.skiff.protocol.record.CompressionType;
import dev.skiff.protocol.record.Header;
import dev.skiff.protocol.record.MemoryRecords;
import dev.skiff.protocol.record.RecordBatchBuilder;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One record batch for one partition, written in place into a pooled buffer, plus what is needed to
 * complete each record's future. Appends happen under the partition queue's lock; once drained
 * ({@link #close}) the batch belongs to the sender thread alone.
 *
 * <p>Per-record completion state is kept in parallel arrays rather than an object per record.
 */
final class ProducerBatch {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerBatch.class);

    final TopicPartition tp;
    final ByteBuffer buffer;
    final long createdMs;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final RecordBatchBuilder builder;
    private MemoryRecords records;

    private int count;
    private CompletableFuture<RecordMetadata>[] futures;
    private Callback[] callbacks;
    private long[] timestamps;
    private int[] keySizes;
    private int[] valueSizes;
    private boolean full;

    // Sender-thread state.
    int attempts;
    long nextAttemptMs;
    boolean inRetry;
    long producerId = BatchHeader.NO_PRODUCER_ID;
    short producerEpoch = BatchHeader.NO_PRODUCER_EPOCH;
    int baseSequence = BatchHeader.NO_SEQUENCE;
    Errors lastError = Errors.NONE;
    String lastErrorMessage;
    private boolean completed;

    ProducerBatch(TopicPartition tp, ByteBuffer buffer, CompressionType compression, long createdMs) {
        this(tp, buffer, compression, createdMs, 8);
    }

    /**
     * @param expectedRecords how many records the buffer will likely hold (sizes the per-record arrays, so
     *                        a batch of similar records never regrows them)
     */
    @SuppressWarnings("unchecked")
    ProducerBatch(TopicPartition tp, ByteBuffer buffer, CompressionType compression, long createdMs,
                  int expectedRecords) {
        this.tp = tp;
        this.buffer = buffer;
        this.createdMs = createdMs;
        this.builder = new RecordBatchBuilder(buffer, compression);
        final int n = Math.max(1, expectedRecords);
        this.futures = new CompletableFuture[n];
        this.callbacks = new Callback[n];
        this.timestamps = new long[n];
        this.keySizes = new int[n];
        this.valueSizes = new int[n];
    }

    /**
     * Appends a record, or returns false (and marks the batch full) when it does not fit.
     */
    boolean tryAppend(long timestamp, byte[] key, byte[] value, Header[] headers,
                      CompletableFuture<RecordMetadata> future, Callback callback) {
        final ByteBuffer k = key == null ? null : ByteBuffer.wrap(key);
        final ByteBuffer v = value == null ? null : ByteBuffer.wrap(value);
        if (records != null || !builder.hasRoomFor(timestamp, k, v, headers)) {
            full = true;
            return false;
        }
        builder.append(timestamp, k, v, headers);
        if (count == futures.length) {
            final int n = Math.max(8, count * 2);
            futures = Arrays.copyOf(futures, n);
            callbacks = Arrays.copyOf(callbacks, n);
            timestamps = Arrays.copyOf(timestamps, n);
            keySizes = Arrays.copyOf(keySizes, n);
            valueSizes = Arrays.copyOf(valueSizes, n);
        }
        futures[count] = future;
        callbacks[count] = callback;
        timestamps[count] = timestamp;
        keySizes[count] = key == null ? -1 : key.length;
        valueSizes[count] = value == null ? -1 : value.length;
        count++;
        return true;
    }

    int recordCount() {
        return count;
    }

    boolean isFull() {
        return full;
    }

    /** Makes the batch ready without waiting for linger.ms (it is as large as it will get). Under the queue lock. */
    void markFull() {
        full = true;
    }

    boolean isClosed() {
        return records != null;
    }

    /** Uncompressed bytes written so far. */
    int uncompressedBytes() {
        return builder.uncompressedSizeInBytes();
    }

    /** The batch's size on the wire: exact once closed, else the uncompressed estimate. */
    int sizeInBytes() {
        return records != null ? records.sizeInBytes() : builder.estimatedSizeInBytes();
    }

    /**
     * Sets the idempotent producer state. Before {@link #close} it goes into the header as written;
     * afterwards (a retry after an epoch bump) the header fields are patched and the CRC recomputed.
     */
    void setProducerState(long pid, short epoch, int sequence) {
        this.producerId = pid;
        this.producerEpoch = epoch;
        this.baseSequence = sequence;
        if (records == null) {
            builder.producerState(pid, epoch, sequence);
            return;
        }
        final ByteBuffer b = records.buffer();
        final int s = b.position();
        // MemoryRecords hands out a duplicate of the same memory, so these writes change the batch itself.
        b.putLong(s + BatchHeader.PRODUCER_ID_OFFSET, pid);
        b.putShort(s + BatchHeader.PRODUCER_EPOCH_OFFSET, epoch);
        b.putInt(s + BatchHeader.BASE_SEQUENCE_OFFSET, sequence);
        final CRC32C crc = new CRC32C();
        final ByteBuffer covered = b.duplicate();
        covered.position(s + BatchHeader.ATTRIBUTES_OFFSET);
        crc.update(covered);
        b.putInt(s + BatchHeader.CRC_OFFSET, (int) crc.getValue());
    }

    boolean hasSequence() {
        return baseSequence != BatchHeader.NO_SEQUENCE;
    }

    /** Closes the batch for appends and compresses it; idempotent. */
    MemoryRecords close() {
        if (records == null) {
            records = builder.build();
        }
        return records;
    }

    MemoryRecords records() {
        return records;
    }

    boolean isCompleted() {
        return completed;
    }

    /** Completes every record: offsets follow {@code baseOffset}; callbacks first, then futures. */
    void complete(long baseOffset, long logAppendTime) {
        if (completed) {
            return;
        }
        completed = true;
        for (int i = 0; i < count; i++) {
            final long ts = logAppendTime >= 0 ? logAppendTime : timestamps[i];
            final RecordMetadata md = new RecordMetadata(tp.topic(), tp.partition(),
                    baseOffset < 0 ? -1 : baseOffset + i, ts, keySizes[i], valueSizes[i]);
            callback(i, md, null);
            futures[i].complete(md);
        }
        release();
    }

    /** Fails every record with {@code e}. */
    void fail(RuntimeException e) {
        if (completed) {
            return;
        }
        completed = true;
        for (int i = 0; i < count; i++) {
            callback(i, null, e);
            futures[i].completeExceptionally(e);
        }
        release();
    }

    private void callback(int i, RecordMetadata md, Exception e) {
        final Callback cb = callbacks[i];
        if (cb != null) {
            try {
                cb.onCompletion(md, e);
            } catch (RuntimeException ex) {
                LOG.error("Producer callback for {} threw", tp, ex);
            }
        }
    }

    private void release() {
        futures = null;
        callbacks = null;
        done.complete(null);
    }

    @Override
    public String toString() {
        return "ProducerBatch(" + tp + ", " + count + " records, seq " + baseSequence + ")";
    }
}

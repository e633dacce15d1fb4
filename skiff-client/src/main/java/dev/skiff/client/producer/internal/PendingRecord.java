package dev.skiff.client.producer.internal;

import dev.skiff.client.producer.Callback;
import dev.skiff.client.producer.RecordMetadata;
import dev.skiff.protocol.record.Header;

import java.util.concurrent.CompletableFuture;

/**
 * A serialized record whose topic's partitions are not known yet; it waits in its {@link TopicRoute}
 * holding a reservation of {@link #reserved} bytes until the sender places it. Guarded by its route's lock.
 */
final class PendingRecord {
    final Integer partition;
    final Object key;
    final Object value;
    final byte[] keyBytes;
    final byte[] valueBytes;
    final Header[] headers;
    final long timestamp;
    final CompletableFuture<RecordMetadata> future;
    final Callback callback;
    /** Bytes of buffer.memory held for this record; 0 once lent to place an older record (see RecordRouter). */
    int reserved;

    PendingRecord(Integer partition, Object key, Object value, byte[] keyBytes, byte[] valueBytes, Header[] headers,
                  long timestamp, CompletableFuture<RecordMetadata> future, Callback callback, int reserved) {
        this.partition = partition;
        this.key = key;
        this.value = value;
        this.keyBytes = keyBytes;
        this.valueBytes = valueBytes;
        this.headers = headers;
        this.timestamp = timestamp;
        this.future = future;
        this.callback = callback;
        this.reserved = reserved;
    }

    void fail(RuntimeException e) {
        if (callback != null) {
            try {
                callback.onCompletion(null, e);
            } catch (RuntimeException ignored) {
                // a throwing callback must not stop the others; the sender logs batch callbacks
            }
        }
        future.completeExceptionally(e);
    }
}

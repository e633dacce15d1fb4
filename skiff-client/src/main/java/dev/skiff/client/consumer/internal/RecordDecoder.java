package dev.skiff.client.consumer.internal;

import dev.skiff.client.consumer.ConsumerException;
import dev.skiff.client.consumer.ConsumerRecord;
import dev.skiff.client.consumer.Deserializer;
import dev.skiff.client.consumer.TimestampType;
import dev.skiff.client.serde.Headers;
import dev.skiff.protocol.record.BatchHeader;
import dev.skiff.protocol.record.RecordReader;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the records a {@link Fetcher} has buffered into {@link ConsumerRecord}s, deserializing keys and
 * values.
 *
 * <p>When a deserializer fails, the position stays at that record. Records already decoded in the same
 * poll are returned first; the next poll fetches the record again and then throws, so the application
 * sees the failure at the offset where it happened and can seek past it.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class RecordDecoder<K, V> implements CompletedFetch.Sink {
    /** Shared by every record without headers: sealed headers cannot change, so one instance serves all. */
    private static final Headers NO_HEADERS = new Headers().seal();

    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private List<ConsumerRecord<K, V>> out;
    private ConsumerException failure;

    public RecordDecoder(Deserializer<K> keys, Deserializer<V> values) {
        this.keys = keys;
        this.values = values;
    }

    /**
     * Up to {@code max} records from {@code fetcher}'s buffer.
     *
     * @throws ConsumerException when the first record to return cannot be deserialized or is corrupt
     */
    public List<ConsumerRecord<K, V>> drain(Fetcher fetcher, int max) {
        out = new ArrayList<>(Math.min(max, 1024));
        failure = null;
        fetcher.drain(max, this);
        final List<ConsumerRecord<K, V>> result = out;
        out = null;
        if (failure != null && result.isEmpty()) {
            throw failure;
        }
        return result;
    }

    @Override
    public boolean accept(PartitionState state, RecordReader reader, BatchHeader batch) {
        final String topic = state.tp.topic();
        final Headers headers = reader.headerCount() == 0 ? NO_HEADERS
                : Headers.of(java.util.Arrays.asList(reader.headers())).seal();
        final byte[] keyBytes = copy(reader.key());
        final byte[] valueBytes = copy(reader.value());
        final K key;
        final V value;
        String part = "key";
        try {
            key = keys.deserialize(topic, headers, keyBytes);
            part = "value";
            value = values.deserialize(topic, headers, valueBytes);
        } catch (RuntimeException e) {
            failure = new ConsumerException("Cannot deserialize the " + part + " of the record at offset "
                    + reader.offset() + " of " + state.tp + ": " + e.getMessage() + "; use a matching deserializer, "
                    + "or seek to offset " + (reader.offset() + 1) + " to skip the record", null, e);
            return false;
        }
        out.add(new ConsumerRecord<>(topic, state.tp.partition(), reader.offset(), reader.timestamp(),
                batch.isLogAppendTime() ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME, key, value,
                headers, reader.keySize(), reader.valueSize()));
        return true;
    }

    private static byte[] copy(ByteBuffer view) {
        if (view == null) {
            return null;
        }
        final byte[] bytes = new byte[view.remaining()];
        view.get(view.position(), bytes);
        return bytes;
    }
}

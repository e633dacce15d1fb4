package dev.skiff.client.producer;

import dev.skiff.client.serde.Headers;

import java.util.Objects;

/**
 * A record to send: a topic, optionally a partition and a timestamp, a key, a value and headers.
 *
 * <p>A null partition lets the partitioner choose; a null timestamp means "now" when the record is
 * sent. Key and value may be null (a null value is a tombstone on compacted topics).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ProducerRecord<K, V> {
    private final String topic;
    private final Integer partition;
    private final Long timestamp;
    private final K key;
    private final V value;
    private final Headers headers;

    /**
     * @throws IllegalArgumentException for an empty topic, a negative partition or a negative timestamp
     */
    public ProducerRecord(String topic, Integer partition, Long timestamp, K key, V value, Headers headers) {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, got " + partition);
        }
        if (timestamp != null && timestamp < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0, got " + timestamp);
        }
        this.topic = topic;
        this.partition = partition;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
        this.headers = headers == null ? new Headers() : headers;
    }

    public ProducerRecord(String topic, Integer partition, K key, V value) {
        this(topic, partition, null, key, value, null);
    }

    public ProducerRecord(String topic, K key, V value) {
        this(topic, null, null, key, value, null);
    }

    public ProducerRecord(String topic, V value) {
        this(topic, null, null, null, value, null);
    }

    public String topic() {
        return topic;
    }

    /** The requested partition, or null to let the partitioner choose. */
    public Integer partition() {
        return partition;
    }

    /** The requested timestamp (ms), or null for the send time. */
    public Long timestamp() {
        return timestamp;
    }

    public K key() {
        return key;
    }

    public V value() {
        return value;
    }

    /** Never null; serializers may add to it before the record is appended. */
    public Headers headers() {
        return headers;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ProducerRecord)) {
            return false;
        }
        final ProducerRecord<?, ?> r = (ProducerRecord<?, ?>) o;
        return topic.equals(r.topic) && Objects.equals(partition, r.partition)
                && Objects.equals(timestamp, r.timestamp) && Objects.equals(key, r.key)
                && Objects.equals(value, r.value) && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, timestamp, key, value, headers);
    }

    @Override
    public String toString() {
        return "ProducerRecord(topic=" + topic + ", partition=" + partition + ", timestamp=" + timestamp
                + ", key=" + key + ", value=" + value + ", headers=" + headers + ")";
    }
}

package dev.skiff.client.producer;

/**
 * Chooses a partition for a record that names none. Set one with {@code partitioner.class}; the
 * default keeps Kafka's behaviour (murmur2 of the key bytes, sticky uniform-bytes for null keys).
 *
 * <p>Called on the sending thread, possibly from many threads at once: implementations must be
 * thread-safe and fast. Return {@link #USE_DEFAULT} to fall back to the built-in choice.
 */
public interface Partitioner extends AutoCloseable {
    /** Returned to let the built-in partitioner decide. */
    int USE_DEFAULT = -1;

    /**
     * @param topic         the record's topic
     * @param key           the key object, or null
     * @param keyBytes      the serialized key, or null
     * @param value         the value object, or null
     * @param valueBytes    the serialized value, or null
     * @param numPartitions the topic's partition count (at least 1)
     * @return a partition in 0..numPartitions-1, or {@link #USE_DEFAULT}
     */
    int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, int numPartitions);

    /** Releases resources; called once when the producer closes. */
    @Override
    default void close() {
    }
}

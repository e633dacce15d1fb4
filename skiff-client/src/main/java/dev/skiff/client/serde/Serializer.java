package dev.skiff.client.serde;

import java.util.Map;

/**
 * Turns a key or value into bytes. Implementations must be thread-safe: one instance serves every
 * thread that sends through a producer.
 *
 * <p>The built-in ones follow Kafka's byte layouts so consumers using Kafka's deserializers read them:
 * {@link StringSerializer}, {@link ByteArraySerializer}, {@link ByteBufferSerializer},
 * {@link IntegerSerializer}, {@link LongSerializer}, {@link DoubleSerializer}, {@link UuidSerializer},
 * plus {@link JsonSerializer} (Jackson) and {@link AvroSerializer} (Avro single-object encoding).
 *
 * @param <T> the type serialized
 */
@FunctionalInterface
public interface Serializer<T> extends AutoCloseable {
    /**
     * @param topic   the record's topic
     * @param headers the record's headers, which the serializer may add to
     * @param data    the object, possibly null
     * @return the bytes, or null for a null key/value
     * @throws SerializationException when the object cannot be serialized
     */
    byte[] serialize(String topic, Headers headers, T data);

    /** Receives the producer's configuration and whether this is the key serializer; optional. */
    default void configure(Map<String, ?> configs, boolean isKey) {
    }

    /** Releases resources; called once when the producer closes. */
    @Override
    default void close() {
    }
}

package dev.skiff.client.consumer;

import dev.skiff.client.serde.Headers;

import java.util.Map;

/**
 * Turns the bytes of a key or value back into an object. The built-in ones in
 * {@code dev.skiff.client.serde} read the byte layouts of Kafka's serializers (and of Skiff's):
 * StringDeserializer, ByteArrayDeserializer, IntegerDeserializer, LongDeserializer, DoubleDeserializer,
 * UuidDeserializer and JsonDeserializer (Jackson).
 *
 * @param <T> the type produced
 */
@FunctionalInterface
public interface Deserializer<T> extends AutoCloseable {
    /**
     * @param topic   the record's topic
     * @param headers the record's headers (read-only)
     * @param data    the bytes, or null for a null key/value
     * @return the object, possibly null
     * @throws dev.skiff.client.serde.SerializationException when the bytes cannot be read
     */
    T deserialize(String topic, Headers headers, byte[] data);

    /** Receives the consumer's configuration and whether this is the key deserializer; optional. */
    default void configure(Map<String, ?> configs, boolean isKey) {
    }

    /** Releases resources; called once when the consumer closes. */
    @Override
    default void close() {
    }
}

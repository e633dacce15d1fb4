package dev.skiff.client.serde;

import dev.skiff.client.consumer.Deserializer;

/** A long from 8 big-endian bytes (Kafka's LongSerializer layout). */
public final class LongDeserializer implements Deserializer<Long> {
    @Override
    public Long deserialize(String topic, Headers headers, byte[] data) {
        return data == null ? null : FixedSize.bigEndian(data, 8, "Long", topic);
    }
}

package dev.skiff.client.serde;

import dev.skiff.client.consumer.Deserializer;

/** An int from 4 big-endian bytes (Kafka's IntegerSerializer layout). */
public final class IntegerDeserializer implements Deserializer<Integer> {
    @Override
    public Integer deserialize(String topic, Headers headers, byte[] data) {
        return data == null ? null : (int) FixedSize.bigEndian(data, 4, "Integer", topic);
    }
}

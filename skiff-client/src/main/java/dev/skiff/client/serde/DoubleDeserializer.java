package dev.skiff.client.serde;

import dev.skiff.client.consumer.Deserializer;

/** A double from the 8 big-endian bytes of its IEEE 754 bits (Kafka's DoubleSerializer layout). */
public final class DoubleDeserializer implements Deserializer<Double> {
    @Override
    public Double deserialize(String topic, Headers headers, byte[] data) {
        return data == null ? null : Double.longBitsToDouble(FixedSize.bigEndian(data, 8, "Double", topic));
    }
}

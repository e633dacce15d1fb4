package dev.skiff.client.serde;

/** A double as the 8 big-endian bytes of its IEEE 754 bits (Kafka's DoubleSerializer). */
public final class DoubleSerializer implements Serializer<Double> {
    @Override
    public byte[] serialize(String topic, Headers headers, Double data) {
        return data == null ? null : LongSerializer.bigEndian(Double.doubleToLongBits(data));
    }
}

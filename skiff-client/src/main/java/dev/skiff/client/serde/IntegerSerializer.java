package dev.skiff.client.serde;

/** An int as 4 big-endian bytes (Kafka's IntegerSerializer). */
public final class IntegerSerializer implements Serializer<Integer> {
    @Override
    public byte[] serialize(String topic, Headers headers, Integer data) {
        if (data == null) {
            return null;
        }
        final int v = data;
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}

package dev.skiff.client.serde;

/** A long as 8 big-endian bytes (Kafka's LongSerializer). */
public final class LongSerializer implements Serializer<Long> {
    @Override
    public byte[] serialize(String topic, Headers headers, Long data) {
        return data == null ? null : bigEndian(data);
    }

    static byte[] bigEndian(long v) {
        final byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }
}

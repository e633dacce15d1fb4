package dev.skiff.client.serde;

/** Bytes as they are (the array is not copied: do not change it after sending). */
public final class ByteArraySerializer implements Serializer<byte[]> {
    @Override
    public byte[] serialize(String topic, Headers headers, byte[] data) {
        return data;
    }
}

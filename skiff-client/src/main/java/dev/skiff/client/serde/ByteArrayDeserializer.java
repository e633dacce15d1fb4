package dev.skiff.client.serde;

import dev.skiff.client.consumer.Deserializer;

/** The bytes as they are (the array is the record's own copy). */
public final class ByteArrayDeserializer implements Deserializer<byte[]> {
    @Override
    public byte[] deserialize(String topic, Headers headers, byte[] data) {
        return data;
    }
}

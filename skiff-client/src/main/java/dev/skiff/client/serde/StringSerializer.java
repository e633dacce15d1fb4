package dev.skiff.client.serde;

import java.nio.charset.StandardCharsets;

/** Strings as UTF-8 bytes, like Kafka's StringSerializer with its default encoding. */
public final class StringSerializer implements Serializer<String> {
    @Override
    public byte[] serialize(String topic, Headers headers, String data) {
        return data == null ? null : data.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.skiff.client.serde;

import dev.skiff.client.consumer.Deserializer;

import java.nio.charset.StandardCharsets;

/** Text from its UTF-8 bytes (Kafka's StringDeserializer default). */
public final class StringDeserializer implements Deserializer<String> {
    @Override
    public String deserialize(String topic, Headers headers, byte[] data) {
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }
}

package dev.skiff.client.serde;

import dev.skiff.client.consumer.Deserializer;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A UUID from the UTF-8 bytes of its 36-character text form (Kafka's UUIDSerializer layout). */
public final class UuidDeserializer implements Deserializer<UUID> {
    @Override
    public UUID deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        final String text = new String(data, StandardCharsets.UTF_8);
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("Cannot read a UUID from topic " + topic + ": '"
                    + (text.length() > 64 ? text.substring(0, 64) + "..." : text) + "' is not a UUID", e);
        }
    }
}

package dev.skiff.client.serde;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A UUID as the UTF-8 bytes of its 36-character text form, which is what Kafka's UUIDSerializer
 * writes (not the 16 raw bytes), so Kafka's UUIDDeserializer reads it back.
 */
public final class UuidSerializer implements Serializer<UUID> {
    @Override
    public byte[] serialize(String topic, Headers headers, UUID data) {
        return data == null ? null : data.toString().getBytes(StandardCharsets.UTF_8);
    }
}

package dev.skiff.client.serde;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.skiff.client.consumer.Deserializer;

import java.io.IOException;
import java.util.Objects;

/**
 * UTF-8 JSON into a POJO, Java record, map or list via Jackson. A null value stays null. Unknown
 * properties are ignored by the default mapper, so producers may add fields without breaking readers.
 *
 * @param <T> the type read
 */
public final class JsonDeserializer<T> implements Deserializer<T> {
    private final ObjectMapper mapper;
    private final JavaType type;

    /** Reads {@code type} with a default mapper that ignores unknown properties. */
    public JsonDeserializer(Class<T> type) {
        this(type, new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
    }

    /** Reads {@code type} with {@code mapper} (shared; ObjectMapper is thread-safe once configured). */
    public JsonDeserializer(Class<T> type, ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.type = mapper.constructType(Objects.requireNonNull(type, "type"));
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return mapper.readValue(data, type);
        } catch (IOException e) {
            throw new SerializationException("Cannot read " + type.getRawClass().getName() + " from JSON in topic "
                    + topic + ": " + e.getMessage(), e);
        }
    }
}

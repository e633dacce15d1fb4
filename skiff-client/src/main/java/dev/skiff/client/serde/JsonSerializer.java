package dev.skiff.client.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.Objects;

/**
 * Any POJO, Java record, map or list as UTF-8 JSON via Jackson. A null object is a null value (not
 * the JSON text {@code null}), so tombstones stay tombstones.
 *
 * <p>Pass your own {@link ObjectMapper} to control naming, modules and dates; the default one writes
 * dates as ISO strings only if a module for them is registered, otherwise Jackson's defaults apply.
 *
 * @param <T> the type serialized
 */
public final class JsonSerializer<T> implements Serializer<T> {
    private final ObjectMapper mapper;

    /** A serializer with a default {@link ObjectMapper} that tolerates empty beans. */
    public JsonSerializer() {
        this(new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS));
    }

    /** A serializer using {@code mapper} (shared; ObjectMapper is thread-safe once configured). */
    public JsonSerializer(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        if (data == null) {
            return null;
        }
        try {
            return mapper.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new SerializationException("Cannot write " + data.getClass().getName() + " as JSON for topic "
                    + topic + ": " + e.getOriginalMessage(), e);
        }
    }
}

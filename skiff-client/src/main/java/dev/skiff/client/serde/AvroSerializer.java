package dev.skiff.client.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Avro records (GenericRecord or generated SpecificRecord classes) in Avro's single-object encoding,
 * so a reader can tell which schema wrote each value without a schema registry:
 * <pre>
 * +------+------+----------------------------------+---------------------------+
 * | 0xC3 | 0x01 | schema fingerprint (8 bytes, LE) | Avro binary encoding ...  |
 * +------+------+----------------------------------+---------------------------+
 *   marker        CRC-64-AVRO of the parsing canonical form
 * </pre>
 * Readers decode with Avro's {@code BinaryMessageDecoder} given the writer schema. Encoders are cached
 * per schema; thread-safe.
 *
 * @param <T> GenericContainer subtypes (GenericRecord, SpecificRecord, GenericData.Record...)
 */
public final class AvroSerializer<T extends GenericContainer> implements Serializer<T> {
    private final ConcurrentHashMap<Schema, BinaryMessageEncoder<T>> encoders = new ConcurrentHashMap<>();

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        if (data == null) {
            return null;
        }
        final Schema schema = data.getSchema();
        final BinaryMessageEncoder<T> encoder = encoders.computeIfAbsent(schema, s -> newEncoder(s, data));
        try {
            return toArray(encoder.encode(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new SerializationException("Cannot write Avro " + schema.getFullName() + " for topic " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    private static <T> BinaryMessageEncoder<T> newEncoder(Schema schema, Object sample) {
        // Specific classes need SpecificData so their generated getters are used; anything else is generic.
        final GenericData model = sample instanceof SpecificRecord ? SpecificData.getForSchema(schema)
                : GenericData.get();
        return new BinaryMessageEncoder<>(model, schema);
    }

    private static byte[] toArray(java.nio.ByteBuffer buffer) {
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}

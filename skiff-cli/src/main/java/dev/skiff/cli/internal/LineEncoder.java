package dev.skiff.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.client.serde.AvroSerializer;
import dev.skiff.client.serde.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * Turns one input line into value bytes in a {@link Format}. A line that does not fit the format fails with
 * {@link IllegalArgumentException} saying why, so {@code produce} can count it and go on.
 */
public abstract class LineEncoder {
    /** The value bytes for {@code line}. */
    public abstract byte[] encode(String topic, Headers headers, String line);

    /**
     * The encoder for {@code format}.
     *
     * @param schema the Avro schema file (required for {@link Format#AVRO}, ignored otherwise)
     * @throws IOException              when the schema cannot be read
     * @throws IllegalArgumentException when AVRO has no schema or the schema is invalid
     */
    public static LineEncoder of(Format format, Path schema) throws IOException {
        switch (format) {
            case JSON:
                return new Json();
            case AVRO:
                if (schema == null) {
                    throw new IllegalArgumentException("--format avro needs --schema FILE (an Avro .avsc schema)");
                }
                return new Avro(parseSchema(schema));
            default:
                return new Text();
        }
    }

    /** Parses an Avro schema file, turning Avro's parse errors into one clear line. */
    public static Schema parseSchema(Path file) throws IOException {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid Avro schema in " + file + ": " + e.getMessage(), e);
        }
    }

    private static final class Text extends LineEncoder {
        @Override
        public byte[] encode(String topic, Headers headers, String line) {
            return line.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final class Json extends LineEncoder {
        private final ObjectMapper mapper = new ObjectMapper();

        @Override
        public byte[] encode(String topic, Headers headers, String line) {
            try {
                final JsonNode node = mapper.readTree(line);
                if (node == null || node.isMissingNode()) {
                    throw new IllegalArgumentException("empty line is not a JSON document");
                }
                return mapper.writeValueAsBytes(node);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
            }
        }
    }

    private static final class Avro extends LineEncoder {
        private final Schema schema;
        private final GenericDatumReader<GenericRecord> reader;
        private final AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();

        Avro(Schema schema) {
            this.schema = schema;
            this.reader = new GenericDatumReader<>(schema);
        }

        @Override
        public byte[] encode(String topic, Headers headers, String line) {
            final GenericRecord record;
            try {
                record = reader.read(null, DecoderFactory.get().jsonDecoder(schema, line));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("does not match Avro schema " + schema.getFullName() + ": "
                        + e.getMessage(), e);
            }
            return serializer.serialize(topic, headers, record);
        }
    }
}

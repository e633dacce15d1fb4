package dev.skiff.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;

/**
 * Turns value bytes into printable text for {@code consume}: UTF-8 for text and JSON, Avro single-object
 * encoding (as {@code produce --format avro} writes) decoded with a schema and printed as JSON.
 */
public abstract class ValueDecoder {
    /** The value as text; undecodable bytes print as a marker, never stop the consumer. */
    public abstract String decode(String topic, byte[] value);

    /**
     * The decoder for {@code format}.
     *
     * @param schema the Avro schema file, required for {@link Format#AVRO}
     */
    public static ValueDecoder of(Format format, Path schema) throws IOException {
        if (format == Format.AVRO) {
            if (schema == null) {
                throw new IllegalArgumentException("--value-format avro needs --schema FILE (an Avro .avsc schema)");
            }
            return new Avro(LineEncoder.parseSchema(schema));
        }
        return new Text();
    }

    private static final class Text extends ValueDecoder {
        @Override
        public String decode(String topic, byte[] value) {
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    private static final class Avro extends ValueDecoder {
        private final BinaryMessageDecoder<GenericRecord> decoder;

        Avro(Schema schema) {
            this.decoder = new BinaryMessageDecoder<>(GenericData.get(), schema);
        }

        @Override
        public String decode(String topic, byte[] value) {
            try {
                return decoder.decode(value).toString();
            } catch (IOException | RuntimeException e) {
                return "<not Avro of this schema: " + value.length + " bytes>";
            }
        }
    }
}

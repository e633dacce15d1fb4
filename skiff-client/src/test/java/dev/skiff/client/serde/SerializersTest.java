package dev.skiff.client.serde;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each built-in serializer writes the same bytes as Kafka's own. */
class SerializersTest {
    private final Headers headers = new Headers();

    @Test
    void primitivesMatchKafkaSerializers() {
        try (var ks = new org.apache.kafka.common.serialization.StringSerializer();
             var ki = new org.apache.kafka.common.serialization.IntegerSerializer();
             var kl = new org.apache.kafka.common.serialization.LongSerializer();
             var kd = new org.apache.kafka.common.serialization.DoubleSerializer();
             var ku = new org.apache.kafka.common.serialization.UUIDSerializer();
             var kb = new org.apache.kafka.common.serialization.ByteBufferSerializer()) {
            for (String s : List.of("", "hello", "ünïcødé ✓")) {
                assertThat(new StringSerializer().serialize("t", headers, s)).isEqualTo(ks.serialize("t", s));
            }
            for (int i : new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 123456789}) {
                assertThat(new IntegerSerializer().serialize("t", headers, i)).isEqualTo(ki.serialize("t", i));
            }
            for (long l : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1234567890123L}) {
                assertThat(new LongSerializer().serialize("t", headers, l)).isEqualTo(kl.serialize("t", l));
            }
            for (double d : new double[] {0.0, -0.0, 1.5, Double.NaN, Double.MAX_VALUE, Double.NEGATIVE_INFINITY}) {
                assertThat(new DoubleSerializer().serialize("t", headers, d)).isEqualTo(kd.serialize("t", d));
            }
            final UUID u = UUID.randomUUID();
            assertThat(new UuidSerializer().serialize("t", headers, u)).isEqualTo(ku.serialize("t", u));
            final ByteBuffer buf = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 9}, 1, 3);
            assertThat(new ByteBufferSerializer().serialize("t", headers, buf))
                    .isEqualTo(kb.serialize("t", buf.duplicate()));
            assertThat(new ByteBufferSerializer().serialize("t", headers, ByteBuffer.wrap(new byte[] {4, 5})))
                    .containsExactly(4, 5);
        }
        assertThat(new StringSerializer().serialize("t", headers, null)).isNull();
        assertThat(new IntegerSerializer().serialize("t", headers, null)).isNull();
        assertThat(new UuidSerializer().serialize("t", headers, null)).isNull();
        assertThat(new ByteArraySerializer().serialize("t", headers, null)).isNull();
    }

    record Order(String id, int quantity, List<String> tags) {
    }

    @Test
    void jsonWritesRecordsAndPojosWithJackson() throws Exception {
        final byte[] bytes = new JsonSerializer<Order>().serialize("t", headers, new Order("o1", 3, List.of("a")));
        final Map<String, Object> back = new com.fasterxml.jackson.databind.ObjectMapper().readValue(bytes,
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        assertThat(back).containsEntry("id", "o1").containsEntry("quantity", 3).containsEntry("tags", List.of("a"));
        assertThat(new JsonSerializer<Order>().serialize("t", headers, null)).isNull();
    }

    @Test
    void jsonFailureIsASerializationException() {
        final Object selfReferencing = new Object() {
            public Object getSelf() {
                return this;
            }
        };
        assertThatThrownBy(() -> new JsonSerializer<>().serialize("t", headers, selfReferencing))
                .isInstanceOf(SerializationException.class).hasMessageContaining("JSON");
    }

    @Test
    void avroUsesSingleObjectEncodingWithTheSchemaFingerprint() throws Exception {
        final Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\","
                + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\"}]}");
        final GenericRecord user = new GenericData.Record(schema);
        user.put("name", "ada");
        user.put("age", 36);
        final byte[] bytes = new AvroSerializer<GenericRecord>().serialize("t", headers, user);
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        final long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(schema));
        final GenericRecord back = new BinaryMessageDecoder<GenericRecord>(GenericData.get(), schema).decode(bytes);
        assertThat(back.get("name").toString()).isEqualTo("ada");
        assertThat(back.get("age")).isEqualTo(36);
    }

    @Test
    void avroSpecificRecordRoundTripsThroughBinaryMessageDecoder() throws Exception {
        final AvroUser user = new AvroUser("grace", 85);
        final byte[] bytes = new AvroSerializer<AvroUser>().serialize("t", headers, user);
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        final long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(AvroUser.SCHEMA$));
        final AvroUser back = new BinaryMessageDecoder<AvroUser>(new org.apache.avro.specific.SpecificData(),
                AvroUser.SCHEMA$).decode(bytes);
        assertThat(back).isInstanceOf(AvroUser.class).isEqualTo(user);
        assertThat(back.getName()).isEqualTo("grace");
        assertThat(back.getAge()).isEqualTo(85);
    }

    @Test
    void avroSpecificAndGenericRecordsOfOneSchemaShareTheEncoding() throws Exception {
        // The encoder cache is keyed by schema; a generic record first must not break a specific one after.
        final AvroSerializer<org.apache.avro.generic.GenericContainer> serializer = new AvroSerializer<>();
        final GenericRecord generic = new GenericData.Record(AvroUser.SCHEMA$);
        generic.put("name", "grace");
        generic.put("age", 85);
        final byte[] fromGeneric = serializer.serialize("t", headers, generic);
        final byte[] fromSpecific = serializer.serialize("t", headers, new AvroUser("grace", 85));
        assertThat(fromSpecific).isEqualTo(fromGeneric);
    }

    @Test
    void headersAreSealedOnceHandedOver() {
        final Headers h = new Headers().add("a", "1");
        h.seal();
        assertThatThrownBy(() -> h.add("b", "2")).isInstanceOf(IllegalStateException.class);
        assertThat(new String(h.lastHeader("a").value())).isEqualTo("1");
    }
}

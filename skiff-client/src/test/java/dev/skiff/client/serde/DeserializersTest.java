package dev.skiff.client.serde;

import dev.skiff.client.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.serialization.DoubleSerializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.UUIDSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Our deserializers read what Kafka's serializers (and ours) write. */
class DeserializersTest {
    private static final Headers NONE = new Headers().seal();

    @Test
    void numbersAndUuidsReadKafkasLayouts() {
        for (int v : new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 123456789}) {
            assertThat(new IntegerDeserializer().deserialize("t", NONE, new IntegerSerializer().serialize("t", v)))
                    .isEqualTo(v);
        }
        for (long v : new long[] {0, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1234567890123L}) {
            assertThat(new LongDeserializer().deserialize("t", NONE, new LongSerializer().serialize("t", v)))
                    .isEqualTo(v);
        }
        for (double v : new double[] {0.0, -1.5, Math.PI, Double.MAX_VALUE, Double.NaN}) {
            final byte[] bytes = new DoubleSerializer().serialize("t", v);
            final Double read = new DoubleDeserializer().deserialize("t", NONE, bytes);
            assertThat(Double.doubleToRawLongBits(read)).isEqualTo(Double.doubleToRawLongBits(v));
        }
        final UUID id = UUID.randomUUID();
        assertThat(new UuidDeserializer().deserialize("t", NONE, new UUIDSerializer().serialize("t", id)))
                .isEqualTo(id);
    }

    @Test
    void nullsStayNull() {
        assertThat(new StringDeserializer().deserialize("t", NONE, null)).isNull();
        assertThat(new ByteArrayDeserializer().deserialize("t", NONE, null)).isNull();
        assertThat(new IntegerDeserializer().deserialize("t", NONE, null)).isNull();
        assertThat(new LongDeserializer().deserialize("t", NONE, null)).isNull();
        assertThat(new DoubleDeserializer().deserialize("t", NONE, null)).isNull();
        assertThat(new UuidDeserializer().deserialize("t", NONE, null)).isNull();
        assertThat(new JsonDeserializer<>(Map.class).deserialize("t", NONE, null)).isNull();
    }

    @Test
    void wrongSizesAndTextFailWithSerializationException() {
        assertThatThrownBy(() -> new IntegerDeserializer().deserialize("t", NONE, new byte[3]))
                .isInstanceOf(SerializationException.class).hasMessageContaining("exactly 4 bytes");
        assertThatThrownBy(() -> new LongDeserializer().deserialize("t", NONE, new byte[4]))
                .isInstanceOf(SerializationException.class).hasMessageContaining("exactly 8 bytes");
        assertThatThrownBy(() -> new UuidDeserializer().deserialize("t", NONE, "nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("'nope' is not a UUID");
        assertThatThrownBy(() -> new JsonDeserializer<>(Map.class).deserialize("t", NONE,
                "{oops".getBytes(StandardCharsets.UTF_8))).isInstanceOf(SerializationException.class);
    }

    record Order(String id, int qty, List<String> tags) {
    }

    @Test
    void jsonRoundTripsThroughOurSerializerAndIgnoresUnknownFields() {
        final Order order = new Order("o-1", 3, List.of("a", "b"));
        final byte[] bytes = new JsonSerializer<Order>().serialize("t", new Headers(), order);
        assertThat(new JsonDeserializer<>(Order.class).deserialize("t", NONE, bytes)).isEqualTo(order);
        assertThat(new JsonDeserializer<>(Order.class).deserialize("t", NONE,
                "{\"id\":\"x\",\"qty\":1,\"extra\":true}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Order("x", 1, null));
        assertThat(new StringDeserializer().deserialize("t", NONE, "héllo".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("héllo");
    }

    @Test
    void topicPartitionPrintsLikeKafkasTools() {
        assertThat(new TopicPartition("orders", 3)).hasToString("orders-3");
        assertThatThrownBy(() -> new TopicPartition("orders", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}

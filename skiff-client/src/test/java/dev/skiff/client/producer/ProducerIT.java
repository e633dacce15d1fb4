package dev.skiff.client.producer;

import dev.skiff.client.serde.ByteArraySerializer;
import dev.skiff.client.serde.Headers;
import dev.skiff.client.serde.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The producer against an in-process Skiff broker, read back with kafka-clients' KafkaConsumer. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProducerIT {
    @TempDir
    static Path dir;
    static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        broker = new EmbeddedBroker(dir, Map.of("auto.create.topics.enable", "false"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private ProducerConfig.Builder config() {
        return ProducerConfig.builder().bootstrapServers(broker.bootstrap()).lingerMs(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void everyCompressionTypeRoundTripsThroughKafkaConsumer(String compression) throws Exception {
        final String topic = "compressed-" + compression;
        broker.createTopic(topic, 6);
        final int n = 2000;
        try (Producer<String, String> producer = Producer.create(config().compressionType(compression).build(),
                new StringSerializer(), new StringSerializer())) {
            final List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "k" + i, "value-" + i)));
            }
            producer.flush();
            for (CompletableFuture<RecordMetadata> f : futures) {
                assertThat(f).isCompleted();
                assertThat(f.get().offset()).isGreaterThanOrEqualTo(0);
            }
        }
        final List<ConsumerRecord<byte[], byte[]>> read = broker.readAll(topic, 6, n);
        assertThat(read).hasSize(n);
        final Map<String, String> byKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : read) {
            byKey.put(new String(r.key(), StandardCharsets.UTF_8), new String(r.value(), StandardCharsets.UTF_8));
        }
        for (int i = 0; i < n; i++) {
            assertThat(byKey.get("k" + i)).isEqualTo("value-" + i);
        }
    }

    @Test
    void keyedRecordsLandOnTheSamePartitionsAsKafkaProducerAndStayInOrder() throws Exception {
        final String topic = "keyed";
        broker.createTopic(topic, 6);
        final Map<String, Integer> ours = new HashMap<>();
        try (Producer<String, String> producer = Producer.create(config().build(), new StringSerializer(),
                new StringSerializer())) {
            final Map<String, CompletableFuture<RecordMetadata>> futures = new HashMap<>();
            for (int i = 0; i < 500; i++) {
                futures.put("key-" + i, producer.send(new ProducerRecord<>(topic, "key-" + i, "v")));
            }
            for (Map.Entry<String, CompletableFuture<RecordMetadata>> e : futures.entrySet()) {
                ours.put(e.getKey(), e.getValue().get(10, TimeUnit.SECONDS).partition());
            }
        }
        final Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrap(),
                "key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName(),
                "value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        try (KafkaProducer<String, String> kafka = new KafkaProducer<>(props)) {
            for (int i = 0; i < 500; i++) {
                final int p = kafka.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "key-" + i, "v"))
                        .get().partition();
                assertThat(ours.get("key-" + i)).as("partition of key-" + i).isEqualTo(p);
            }
        }
    }

    @Test
    void offsetsFollowSendOrderPerPartition() throws Exception {
        final String topic = "ordered";
        broker.createTopic(topic, 6);
        try (Producer<String, String> producer = Producer.create(config().batchSize(512).build(),
                new StringSerializer(), new StringSerializer())) {
            final List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "k" + (i % 10), Integer.toString(i))));
            }
            producer.flush();
            final Map<Integer, Long> last = new HashMap<>();
            for (CompletableFuture<RecordMetadata> f : futures) {
                final RecordMetadata md = f.get();
                final Long prev = last.put(md.partition(), md.offset());
                if (prev != null) {
                    assertThat(md.offset()).isGreaterThan(prev);
                }
            }
        }
    }

    @Test
    void headersNullKeysAndNullValuesArriveAsSent() throws Exception {
        final String topic = "headers";
        broker.createTopic(topic, 6);
        try (Producer<byte[], byte[]> producer = Producer.create(config().build(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            final Headers headers = new Headers().add("trace", "abc").add("empty", (byte[]) null);
            producer.send(new ProducerRecord<>(topic, 2, 1234L, null, "v".getBytes(), headers)).get();
            producer.send(new ProducerRecord<>(topic, 2, null, "k".getBytes(), null, null)).get();
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, null, ("spread" + i).getBytes()));
            }
            producer.flush();
        }
        final List<ConsumerRecord<byte[], byte[]>> read = broker.readAll(topic, 6, 102);
        assertThat(read).hasSize(102);
        final ConsumerRecord<byte[], byte[]> first = read.stream().filter(r -> r.partition() == 2 && r.offset() == 0)
                .findFirst().orElseThrow();
        assertThat(first.key()).isNull();
        assertThat(first.timestamp()).isEqualTo(1234L);
        assertThat(new String(first.headers().lastHeader("trace").value())).isEqualTo("abc");
        assertThat(first.headers().lastHeader("empty").value()).isNull();
        final ConsumerRecord<byte[], byte[]> second = read.stream()
                .filter(r -> r.partition() == 2 && r.offset() == 1).findFirst().orElseThrow();
        assertThat(second.value()).isNull();
        assertThat(new String(second.key())).isEqualTo("k");
    }

    @Test
    void aPartitionThatDoesNotExistFailsWithItsOwnMessage() throws Exception {
        broker.createTopic("three", 3);
        try (Producer<String, String> producer = Producer.create(config().build(), new StringSerializer(),
                new StringSerializer())) {
            final CompletableFuture<RecordMetadata> f = producer.send(new ProducerRecord<>("three", 7, "k", "v"));
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().hasMessageContaining("Partition 7 of topic 'three' does not exist")
                    .hasMessageContaining("3 partition(s)");
        }
    }

    @Test
    void aMissingTopicWithAutoCreateOffSaysSo() {
        try (Producer<String, String> producer = Producer.create(config().maxBlockMs(1500).build(),
                new StringSerializer(), new StringSerializer())) {
            final CompletableFuture<RecordMetadata> f = producer.send(new ProducerRecord<>("nope", "v"));
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(DeliveryTimeoutException.class)
                    .hasMessageContaining("Topic 'nope' does not exist");
        }
    }

    @Test
    void anUnreachableBootstrapAddressSaysSo() throws Exception {
        final int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (Producer<String, String> producer = Producer.create(ProducerConfig.builder()
                .bootstrapServers("127.0.0.1:" + port).maxBlockMs(1000).build(), new StringSerializer(),
                new StringSerializer())) {
            final long start = System.nanoTime();
            final CompletableFuture<RecordMetadata> f = producer.send(new ProducerRecord<>("t", "v"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(500);
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause()
                    .hasMessageContaining("Could not reach any broker")
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("connection refused");
        }
    }

    @Test
    void sendAfterCloseFailsAtOnceAndCloseTwiceIsFine() {
        final Producer<String, String> producer = Producer.create(config().build(), new StringSerializer(),
                new StringSerializer());
        producer.close();
        producer.close();
        final CompletableFuture<RecordMetadata> f = producer.send(new ProducerRecord<>("t", "v"));
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::join).cause().isInstanceOf(ProducerClosedException.class);
    }

    @Test
    void aThrowingSerializerFailsThatRecordOnly() throws Exception {
        broker.createTopic("serde", 1);
        try (Producer<String, String> producer = Producer.create(config().build(), new StringSerializer(),
                (topic, headers, data) -> {
                    if (data.equals("bad")) {
                        throw new IllegalStateException("boom");
                    }
                    return data.getBytes();
                })) {
            final CompletableFuture<RecordMetadata> bad = producer.send(new ProducerRecord<>("serde", "bad"));
            final CompletableFuture<RecordMetadata> good = producer.send(new ProducerRecord<>("serde", "good"));
            assertThatThrownBy(bad::join).cause().isInstanceOf(dev.skiff.client.serde.SerializationException.class)
                    .hasMessageContaining("boom");
            assertThat(good.get(10, TimeUnit.SECONDS).offset()).isEqualTo(0);
        }
    }

    @Test
    void aRecordOverMaxRequestSizeFailsBeforeSending() {
        try (Producer<byte[], byte[]> producer = Producer.create(config().maxRequestSize(1000).build(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            final CompletableFuture<RecordMetadata> f = producer.send(new ProducerRecord<>("t", new byte[2000]));
            assertThat(f).isCompletedExceptionally();
            assertThatThrownBy(f::join).cause().isInstanceOf(RecordTooLargeException.class)
                    .hasMessageContaining("max.request.size=1000");
        }
    }

    @Test
    void callbacksRunBeforeFuturesComplete() throws Exception {
        broker.createTopic("callbacks", 1);
        try (Producer<String, String> producer = Producer.create(config().build(), new StringSerializer(),
                new StringSerializer())) {
            final CompletableFuture<RecordMetadata> seen = new CompletableFuture<>();
            final CompletableFuture<RecordMetadata> f = producer.send(new ProducerRecord<>("callbacks", "v"),
                    (md, e) -> seen.complete(md));
            final RecordMetadata md = f.get(10, TimeUnit.SECONDS);
            assertThat(seen).isCompletedWithValue(md);
            assertThat(md.serializedValueSize()).isEqualTo(1);
            assertThat(md.serializedKeySize()).isEqualTo(-1);
            assertThat(producer.metrics().recordsSent()).isEqualTo(1);
        }
    }
}

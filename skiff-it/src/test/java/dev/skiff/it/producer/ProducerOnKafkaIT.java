package dev.skiff.it.producer;

import dev.skiff.client.producer.Producer;
import dev.skiff.client.producer.ProducerConfig;
import dev.skiff.client.producer.ProducerMetrics;
import dev.skiff.client.producer.ProducerRecord;
import dev.skiff.client.producer.RecordMetadata;
import dev.skiff.client.serde.ByteArraySerializer;
import dev.skiff.client.serde.Headers;
import dev.skiff.client.serde.StringSerializer;
import dev.skiff.kafkapeer.KafkaCluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Skiff producer, unchanged, against one Apache Kafka 4.4 node (started from Maven Central jars by
 * kafka-peer): every compression type, headers, null keys and values, explicit partitions and timestamps,
 * keyed partitioning identical to KafkaProducer's, and acks 0/1/all. Kafka's own KafkaConsumer is the judge.
 * One cluster serves the whole class; each test uses its own topic.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProducerOnKafkaIT {
    private static KafkaCluster kafka;
    private static Admin admin;

    @BeforeAll
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    static void startKafka() {
        kafka = KafkaCluster.builder().nodes(1).start();
        admin = ReadBack.admin(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopKafka() {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static ProducerConfig.Builder config() {
        return ProducerConfig.builder().bootstrapServers(kafka.bootstrapServers()).lingerMs(2)
                .deliveryTimeoutMs(60_000).requestTimeoutMs(15_000);
    }

    private static void createTopic(String name, int partitions) throws Exception {
        ReadBack.createTopic(admin, new NewTopic(name, partitions, (short) 1));
    }

    private static String str(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void everyCompressionTypeIsReadBackByKafkaConsumerAtTheOffsetsTheFuturesReport(String compression)
            throws Exception {
        final String topic = "compression-" + compression;
        createTopic(topic, 3);
        final int n = 3000;
        final List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<String, String> producer = Producer.create(config().compressionType(compression).build(),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < n; i++) {
                // Repetitive values so every codec actually shrinks the batches.
                futures.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i + "-"
                        + "abcdefgh".repeat(8))));
            }
            producer.flush();
        }
        final Map<String, RecordMetadata> acked = new HashMap<>();
        for (int i = 0; i < n; i++) {
            acked.put("key-" + i, futures.get(i).get(10, TimeUnit.SECONDS));
        }
        final List<ConsumerRecord<byte[], byte[]>> read = ReadBack.readAll(kafka.bootstrapServers(), topic, 3);
        assertThat(read).hasSize(n);
        for (ConsumerRecord<byte[], byte[]> r : read) {
            final String key = str(r.key());
            final RecordMetadata md = acked.get(key);
            assertThat(md).as("record %s was sent", key).isNotNull();
            assertThat(r.partition()).as("partition of %s", key).isEqualTo(md.partition());
            assertThat(r.offset()).as("offset of %s", key).isEqualTo(md.offset());
            assertThat(str(r.value())).startsWith("value-" + key.substring(4) + "-");
        }
    }

    @Test
    void headersNullKeysNullValuesExplicitPartitionsAndTimestampsSurvive() throws Exception {
        final String topic = "shapes";
        createTopic(topic, 2);
        final long ts = 1_700_000_000_123L;
        try (Producer<byte[], byte[]> producer = Producer.create(config().build(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            final Headers headers = new Headers().add("trace", "abc").add("trace", "def").add("empty", new byte[0])
                    .add("none", (byte[]) null);
            final List<CompletableFuture<RecordMetadata>> fs = List.of(
                    producer.send(new ProducerRecord<>(topic, 0, ts, "k".getBytes(StandardCharsets.UTF_8),
                            "v".getBytes(StandardCharsets.UTF_8), headers)),
                    producer.send(new ProducerRecord<>(topic, 0, ts + 1, null, "no-key".getBytes(
                            StandardCharsets.UTF_8), new Headers())),
                    producer.send(new ProducerRecord<>(topic, 0, ts + 2, "tombstone".getBytes(StandardCharsets.UTF_8),
                            null, new Headers())),
                    producer.send(new ProducerRecord<>(topic, 0, ts + 3, null, null, new Headers())),
                    producer.send(new ProducerRecord<>(topic, 1, ts + 4, new byte[0], new byte[0], new Headers())));
            producer.flush();
            assertThat(fs.get(0).get(10, TimeUnit.SECONDS).serializedKeySize()).isEqualTo(1);
            assertThat(fs.get(1).get(10, TimeUnit.SECONDS).serializedKeySize()).isEqualTo(-1);
            assertThat(fs.get(2).get(10, TimeUnit.SECONDS).serializedValueSize()).isEqualTo(-1);
            assertThat(fs.get(4).get(10, TimeUnit.SECONDS).partition()).isEqualTo(1);
        }
        final List<ConsumerRecord<byte[], byte[]>> read = ReadBack.readAll(kafka.bootstrapServers(), topic, 2);
        assertThat(read).hasSize(5);
        final ConsumerRecord<byte[], byte[]> first = read.stream().filter(r -> r.partition() == 0 && r.offset() == 0)
                .findFirst().orElseThrow();
        assertThat(str(first.key())).isEqualTo("k");
        assertThat(first.timestamp()).isEqualTo(ts);
        assertThat(first.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        final List<String> hs = new ArrayList<>();
        for (Header h : first.headers()) {
            hs.add(h.key() + "=" + (h.value() == null ? "null" : str(h.value())));
        }
        assertThat(hs).containsExactly("trace=abc", "trace=def", "empty=", "none=null");
        final Map<Long, ConsumerRecord<byte[], byte[]>> p0 = new HashMap<>();
        read.stream().filter(r -> r.partition() == 0).forEach(r -> p0.put(r.offset(), r));
        assertThat(p0.get(1L).key()).isNull();
        assertThat(str(p0.get(1L).value())).isEqualTo("no-key");
        assertThat(p0.get(1L).timestamp()).isEqualTo(ts + 1);
        assertThat(str(p0.get(2L).key())).isEqualTo("tombstone");
        assertThat(p0.get(2L).value()).isNull();
        assertThat(p0.get(3L).key()).isNull();
        assertThat(p0.get(3L).value()).isNull();
        final ConsumerRecord<byte[], byte[]> p1 = read.stream().filter(r -> r.partition() == 1).findFirst()
                .orElseThrow();
        assertThat(p1.key()).isEmpty();
        assertThat(p1.value()).isEmpty();
    }

    @Test
    void keyedRecordsLandOnTheSamePartitionsAsKafkaProducerPutsThem() throws Exception {
        final int partitions = 7;
        createTopic("keys-skiff", partitions);
        createTopic("keys-kafka", partitions);
        final Random random = new Random(42);
        final int n = 2000;
        final List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final byte[] key = new byte[1 + random.nextInt(40)];
            random.nextBytes(key);
            keys.add(key);
        }
        final List<CompletableFuture<RecordMetadata>> skiff = new ArrayList<>();
        try (Producer<byte[], byte[]> producer = Producer.create(config().build(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (byte[] key : keys) {
                skiff.add(producer.send(new ProducerRecord<>("keys-skiff", key, key)));
            }
            producer.flush();
        }
        final Map<String, Object> props = new HashMap<>(kafka.clientConfig());
        props.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        props.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        props.put("linger.ms", 2);
        final List<Future<org.apache.kafka.clients.producer.RecordMetadata>> reference = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (byte[] key : keys) {
                reference.add(producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("keys-kafka", key,
                        key)));
            }
            producer.flush();
        }
        final int[] perPartition = new int[partitions];
        for (int i = 0; i < n; i++) {
            final int ours = skiff.get(i).get(10, TimeUnit.SECONDS).partition();
            assertThat(ours).as("partition of key #%d", i)
                    .isEqualTo(reference.get(i).get(10, TimeUnit.SECONDS).partition());
            perPartition[ours]++;
        }
        assertThat(perPartition).doesNotContain(0);
        // And the broker stored each record where the future said.
        for (ConsumerRecord<byte[], byte[]> r : ReadBack.readAll(kafka.bootstrapServers(), "keys-skiff",
                partitions)) {
            final int i = indexOf(keys, r.key());
            assertThat(r.partition()).isEqualTo(skiff.get(i).get().partition());
        }
    }

    private static int indexOf(List<byte[]> keys, byte[] key) {
        for (int i = 0; i < keys.size(); i++) {
            if (java.util.Arrays.equals(keys.get(i), key)) {
                return i;
            }
        }
        throw new AssertionError("unexpected key read back");
    }

    @Test
    void aFullPipelineStillSendsABatchOfEveryReadyPartitionPerRequest() throws Exception {
        // Regression: with max.in.flight - 1 requests in flight, each new request used to carry one batch (of
        // the first partition in iteration order), starving the others and halving throughput.
        final String topic = "pipeline";
        createTopic(topic, 6);
        final int n = 40_000;
        final ProducerMetrics metrics;
        final List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(n);
        try (Producer<byte[], byte[]> producer = Producer.create(config().build(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            final byte[] value = new byte[1024];
            for (int i = 0; i < n; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, Integer.toString(i).getBytes(
                        StandardCharsets.UTF_8), value)));
            }
            producer.flush();
            metrics = producer.metrics();
        }
        for (CompletableFuture<RecordMetadata> f : futures) {
            assertThat(f.get(10, TimeUnit.SECONDS).offset()).isGreaterThanOrEqualTo(0);
        }
        assertThat((double) metrics.batchesSent() / metrics.requests())
                .as("batches per request (%d batches, %d requests)", metrics.batchesSent(), metrics.requests())
                .isGreaterThan(2.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "all"})
    void everyAcksSettingDeliversEveryRecord(String acks) throws Exception {
        final String topic = "acks-" + acks;
        createTopic(topic, 3);
        if ("0".equals(acks)) {
            ReadBack.awaitLeadersServing(kafka.bootstrapServers(), topic, 3);
        }
        final int n = 5000;
        final List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        // Idempotence needs acks=all (Kafka's producer refuses the other combinations too). Without it a retried
        // batch (a new topic's leader may answer NOT_LEADER_OR_FOLLOWER at first) can overtake later ones, as in
        // Kafka, unless one request at a time is in flight: that is what keeps send order for acks 0 and 1.
        final boolean idempotent = "all".equals(acks);
        try (Producer<String, String> producer = Producer.create(config().acks(acks).enableIdempotence(idempotent)
                .maxInFlightRequestsPerConnection(idempotent ? 5 : 1).build(), new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < n; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, Integer.toString(i % 50), Integer.toString(i))));
            }
            producer.flush();
        }
        for (CompletableFuture<RecordMetadata> f : futures) {
            final RecordMetadata md = f.get(10, TimeUnit.SECONDS);
            if ("0".equals(acks)) {
                // Nobody answers acks=0 requests, so there is no offset to report (Kafka's producer says -1 too).
                assertThat(md.offset()).isEqualTo(-1);
            } else {
                assertThat(md.offset()).isGreaterThanOrEqualTo(0);
            }
        }
        final List<ConsumerRecord<byte[], byte[]>> read = ReadBack.readAll(kafka.bootstrapServers(), topic, 3, n);
        ReadBack.assertExactlyOnceInOrder(read, n);
    }
}

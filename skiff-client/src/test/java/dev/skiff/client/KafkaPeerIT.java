package dev.skiff.client;

import dev.skiff.client.admin.AdminException;
import dev.skiff.client.admin.ClusterDescription;
import dev.skiff.client.admin.ConfigValue;
import dev.skiff.client.admin.PartitionInfo;
import dev.skiff.client.admin.SkiffAdmin;
import dev.skiff.client.admin.TopicDescription;
import dev.skiff.client.consumer.ConsumerConfig;
import dev.skiff.client.consumer.ConsumerException;
import dev.skiff.client.consumer.ConsumerRecord;
import dev.skiff.client.consumer.SimpleConsumer;
import dev.skiff.client.consumer.TimestampType;
import dev.skiff.client.serde.StringDeserializer;
import dev.skiff.kafkapeer.KafkaCluster;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.record.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The admin helper and the simple consumer against a real Apache Kafka 4.4 broker (one KRaft node from
 * Maven Central artifacts), with kafka-clients' KafkaProducer as the writer: the same behaviour as on
 * Skiff, plus what only Kafka has here (altering configs, transactions read under read_committed).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KafkaPeerIT {
    static KafkaCluster kafka;
    static SkiffAdmin admin;

    @BeforeAll
    static void start() {
        kafka = KafkaCluster.start(1);
        admin = SkiffAdmin.create(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static KafkaProducer<String, String> producer(String... extra) {
        final Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("linger.ms", "5");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static SimpleConsumer<String, String> consumer(String... extra) {
        final ConsumerConfig.Builder b = ConsumerConfig.builder().bootstrapServers(kafka.bootstrapServers());
        for (int i = 0; i < extra.length; i += 2) {
            b.set(extra[i], extra[i + 1]);
        }
        return SimpleConsumer.create(b.build(), new StringDeserializer(), new StringDeserializer());
    }

    private static List<ConsumerRecord<String, String>> readToEnd(SimpleConsumer<String, String> consumer,
                                                                  List<TopicPartition> tps) {
        final List<ConsumerRecord<String, String>> out = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!tps.stream().allMatch(consumer::reachedEnd) && System.nanoTime() < deadline) {
            out.addAll(consumer.poll(Duration.ofMillis(500)));
        }
        assertThat(tps).allMatch(consumer::reachedEnd);
        return out;
    }

    @Test
    void adminLifecycleAndErrorsOnKafka() {
        admin.createTopic("k-life", 2, Map.of("retention.ms", "3600000"));
        assertThat(admin.listTopics()).contains("k-life").doesNotContain("__consumer_offsets");

        TopicDescription d = admin.describeTopic("k-life");
        assertThat(d.topicId()).isNotNull();
        assertThat(d.partitions()).extracting(PartitionInfo::leader).containsOnly(kafka.nodeIds().get(0));
        assertThat(d.partitions()).allMatch(p -> p.startOffset() == 0 && p.endOffset() == 0);
        assertThat(d.configs().get("retention.ms")).isEqualTo(new ConfigValue("3600000", "DYNAMIC_TOPIC_CONFIG",
                false));
        assertThat(d.configs().get("cleanup.policy").isDefault()).isTrue();

        admin.alterTopicConfigs("k-life", Map.of("cleanup.policy", "compact"), Set.of("retention.ms"));
        d = admin.describeTopic("k-life");
        assertThat(d.configs().get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(d.configs().get("retention.ms").source()).isNotEqualTo("DYNAMIC_TOPIC_CONFIG");

        admin.createPartitions("k-life", 4);
        assertThat(admin.describeTopic("k-life").partitions()).hasSize(4);

        final ClusterDescription cluster = admin.describeCluster();
        assertThat(cluster.clusterId()).isEqualTo(kafka.clusterId());
        assertThat(cluster.nodes()).hasSize(1);

        assertThat(error(() -> admin.createTopic("k-life", 1, Map.of()))).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
        assertThat(error(() -> admin.createPartitions("k-life", 2))).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(error(() -> admin.createTopic("bad/name", 1, Map.of()))).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(error(() -> admin.createTopic("k-rf", 1, (short) 3, Map.of())))
                .isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(error(() -> admin.createTopic("k-cfg", 1, Map.of("retention.ms", "soon"))))
                .isEqualTo(Errors.INVALID_CONFIG);
        assertThat(error(() -> admin.alterTopicConfigs("k-life", Map.of("no.such.config", "1"), Set.of())))
                .isEqualTo(Errors.INVALID_CONFIG);

        admin.deleteTopic("k-life");
        assertThat(admin.listTopics()).doesNotContain("k-life");
        assertThat(error(() -> admin.describeTopic("k-life"))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(error(() -> admin.deleteTopic("k-life"))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    private static Errors error(Runnable call) {
        final AdminException e = catchThrowableOfType(AdminException.class, call::run);
        assertThat(e).as("expected an AdminException").isNotNull();
        return e.error();
    }

    @Test
    void consumerReadsCompressedRecordsSeeksAndReportsOffsetsOutOfRange() throws Exception {
        admin.createTopic("k-read", 3, Map.of());
        final int n = 900;
        try (KafkaProducer<String, String> producer = producer("compression.type", "zstd")) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>("k-read", i % 3, 1_000_000L + i, "k" + i, "v" + i,
                        List.of(new RecordHeader("n", String.valueOf(i).getBytes(StandardCharsets.UTF_8)))));
            }
            producer.flush();
        }
        final List<TopicPartition> tps = new ArrayList<>();
        try (SimpleConsumer<String, String> consumer = consumer("auto.offset.reset", "earliest")) {
            for (int p : consumer.partitionsFor("k-read")) {
                tps.add(new TopicPartition("k-read", p));
            }
            consumer.assign(tps);
            final List<ConsumerRecord<String, String>> read = readToEnd(consumer, tps);
            assertThat(read).hasSize(n);
            for (ConsumerRecord<String, String> r : read) {
                final int i = Integer.parseInt(r.key().substring(1));
                assertThat(r.value()).isEqualTo("v" + i);
                assertThat(r.timestamp()).isEqualTo(1_000_000L + i);
                assertThat(r.headers().asList()).containsExactly(
                        new Header("n", String.valueOf(i).getBytes(StandardCharsets.UTF_8)));
            }
            final TopicPartition p0 = tps.get(0);
            consumer.seekToTimestamp(List.of(p0), 1_000_000L + 300);
            assertThat(consumer.position(p0)).isEqualTo(100);
            assertThat(consumer.endOffsets(List.of(p0))).containsEntry(p0, 300L);
        }
        try (SimpleConsumer<String, String> consumer = consumer("auto.offset.reset", "none")) {
            final TopicPartition p1 = new TopicPartition("k-read", 1);
            consumer.assign(List.of(p1));
            consumer.seek(p1, 5000);
            ConsumerException e = null;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (e == null && System.nanoTime() < deadline) {
                e = catchThrowableOfType(ConsumerException.class, () -> consumer.poll(Duration.ofMillis(200)));
            }
            assertThat(e).isNotNull();
            assertThat(e.error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
            assertThat(e).hasMessageContaining("valid offsets are 0 to 299");
        }
    }

    @Test
    void logAppendTimeTopicsReportTheBrokersTimestamp() throws Exception {
        admin.createTopic("k-append", 1, Map.of("message.timestamp.type", "LogAppendTime"));
        final long before = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("k-append", 0, 42L, "k", "v")).get(30, TimeUnit.SECONDS);
        }
        final List<TopicPartition> tps = List.of(new TopicPartition("k-append", 0));
        try (SimpleConsumer<String, String> consumer = consumer("auto.offset.reset", "earliest")) {
            consumer.assign(tps);
            final List<ConsumerRecord<String, String>> read = readToEnd(consumer, tps);
            assertThat(read).hasSize(1);
            assertThat(read.get(0).timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(read.get(0).timestamp()).isGreaterThanOrEqualTo(before);
        }
    }

    @Test
    void readCommittedSkipsAbortedTransactionsAndMarkers() throws Exception {
        admin.createTopic("k-txn", 1, Map.of());
        try (KafkaProducer<String, String> producer = producer("transactional.id", "skiff-test-txn")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("k-txn", "a", "committed-1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("k-txn", "b", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("k-txn", "c", "committed-2"));
            producer.commitTransaction();
        }
        final List<TopicPartition> tps = List.of(new TopicPartition("k-txn", 0));
        try (SimpleConsumer<String, String> committed = consumer("auto.offset.reset", "earliest",
                "isolation.level", "read_committed")) {
            committed.assign(tps);
            assertThat(readToEnd(committed, tps)).extracting(ConsumerRecord::value)
                    .containsExactly("committed-1", "committed-2");
        }
        try (SimpleConsumer<String, String> all = consumer("auto.offset.reset", "earliest")) {
            all.assign(tps);
            assertThat(readToEnd(all, tps)).extracting(ConsumerRecord::value)
                    .containsExactly("committed-1", "aborted", "committed-2");
        }
    }
}

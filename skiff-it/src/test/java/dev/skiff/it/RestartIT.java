package dev.skiff.it;

import static dev.skiff.it.Brokers.CALL_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.Broker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean shutdown and a start on the same log directory lose nothing: records, offsets, topic ids and
 * topic configs survive, and a new idempotent producer continues after the old log end.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RestartIT {
    private static final String TOPIC = "durable";
    private static final int PARTITIONS = 3;
    private static final int FIRST_RUN_RECORDS = 900;
    private static final int SECOND_RUN_RECORDS = 300;

    @TempDir
    Path dataDir;

    private Broker broker;
    private Admin admin;

    @AfterEach
    void stopBroker() {
        Brokers.closeAll(admin, broker);
    }

    private void restart() {
        Brokers.closeAll(admin, broker);
        admin = null;
        broker = Brokers.start(dataDir);
        admin = Brokers.admin(broker);
    }

    /** Sends {@code count} keyed records; returns "partition/offset" -> value as acknowledged. */
    private Map<String, String> produce(int first, int count) throws Exception {
        final List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Brokers.producer(broker, Map.of())) {
            for (int i = first; i < first + count; i++) {
                futures.add(producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i)));
            }
            producer.flush();
        }
        final Map<String, String> acknowledged = new HashMap<>();
        for (int i = 0; i < count; i++) {
            final RecordMetadata meta = futures.get(i).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            acknowledged.put(meta.partition() + "/" + meta.offset(), "value-" + (first + i));
        }
        return acknowledged;
    }

    private Map<String, String> readAll() {
        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
            final Map<String, String> all = new HashMap<>();
            for (ConsumerRecord<String, String> r :
                    Brokers.readAll(consumer, Brokers.partitions(TOPIC, PARTITIONS), Duration.ofSeconds(60))) {
                all.put(r.partition() + "/" + r.offset(), r.value());
            }
            return all;
        }
    }

    private Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
            return consumer.endOffsets(Brokers.partitions(TOPIC, PARTITIONS), CALL_TIMEOUT);
        }
    }

    private TopicDescription describe() throws Exception {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(TOPIC);
    }

    private String clusterId() throws Exception {
        return admin.describeCluster().clusterId().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Config topicConfig() throws Exception {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
        return admin.describeConfigs(List.of(resource)).all()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource);
    }

    @Test
    void recordsOffsetsTopicIdsAndConfigsSurviveRestartAndNewProducerContinues() throws Exception {
        broker = Brokers.start(dataDir);
        admin = Brokers.admin(broker);
        final CreateTopicsResult created = admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)
                .configs(Map.of("retention.ms", "86400000", "max.message.bytes", "500000"))));
        final Uuid topicId = created.topicId(TOPIC).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        final Map<String, String> firstRun = produce(0, FIRST_RUN_RECORDS);
        final Map<TopicPartition, Long> endsBefore = endOffsets();
        final String clusterId = clusterId();

        restart();

        assertThat(clusterId()).isEqualTo(clusterId);
        final TopicDescription description = describe();
        assertThat(description.topicId()).isEqualTo(topicId);
        assertThat(description.partitions()).hasSize(PARTITIONS);
        final Config config = topicConfig();
        assertThat(config.get("retention.ms").value()).isEqualTo("86400000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("max.message.bytes").value()).isEqualTo("500000");
        assertThat(endOffsets()).isEqualTo(endsBefore);
        assertThat(readAll()).isEqualTo(firstRun);
        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
            LogAssertions.assertOffsetsForTimesMatchRecords(consumer,
                    Brokers.readAll(consumer, Brokers.partitions(TOPIC, PARTITIONS), Duration.ofSeconds(60)));
        }

        final Map<String, String> secondRun = produce(FIRST_RUN_RECORDS, SECOND_RUN_RECORDS);

        final Map<TopicPartition, Long> firstNewOffset = new HashMap<>();
        for (String partitionOffset : secondRun.keySet()) {
            final String[] parts = partitionOffset.split("/");
            final TopicPartition tp = new TopicPartition(TOPIC, Integer.parseInt(parts[0]));
            firstNewOffset.merge(tp, Long.parseLong(parts[1]), Math::min);
        }
        for (Map.Entry<TopicPartition, Long> e : firstNewOffset.entrySet()) {
            assertThat(e.getValue()).as("first offset of the new producer in %s", e.getKey())
                    .isEqualTo(endsBefore.get(e.getKey()));
        }
        final Map<String, String> everything = new HashMap<>(firstRun);
        everything.putAll(secondRun);
        assertThat(everything).hasSize(FIRST_RUN_RECORDS + SECOND_RUN_RECORDS);
        assertThat(readAll()).isEqualTo(everything);

        restart();

        assertThat(readAll()).as("a second restart, after appends to recovered logs").isEqualTo(everything);
        assertThat(describe().topicId()).isEqualTo(topicId);
    }

    @Test
    void restartWithEmptyTopicsKeepsThemEmptyAndWritable() throws Exception {
        broker = Brokers.start(dataDir);
        admin = Brokers.admin(broker);
        Brokers.createTopic(admin, TOPIC, PARTITIONS);

        restart();

        assertThat(describe().partitions()).hasSize(PARTITIONS);
        assertThat(endOffsets().values()).containsOnly(0L);
        final Map<String, String> produced = produce(0, 30);
        assertThat(readAll()).isEqualTo(produced);
    }
}

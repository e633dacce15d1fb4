package dev.skiff.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.broker.Broker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compacted topic (cleanup.policy=compact) seen through kafka-clients: the broker's cleaner thread keeps the
 * latest record per key at its original offset, tombstones included, and a record without a key is refused.
 */
@Timeout(90)
class CompactedTopicIT {
    private static final String TOPIC = "compacted";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path dir;
    private Broker broker;
    private Admin admin;
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> consumer;

    @BeforeEach
    void start() throws Exception {
        broker = Brokers.start(dir.resolve("data"), "log.cleaner.backoff.ms", "50");
        admin = Brokers.admin(broker);
        Brokers.createTopic(admin, new NewTopic(TOPIC, 1, (short) 1).configs(Map.of(
                "cleanup.policy", "compact",
                "segment.bytes", "400",
                "segment.ms", "100",
                "min.cleanable.dirty.ratio", "0.01")));
        producer = Brokers.producer(broker, Map.of(ProducerConfig.LINGER_MS_CONFIG, 0));
        consumer = Brokers.consumer(broker, Map.of());
    }

    @AfterEach
    void stop() {
        Brokers.closeAll(consumer, producer, admin, broker);
    }

    private Config describe(String topic) throws Exception {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
    }

    private RecordMetadata send(String key, String value) throws Exception {
        return producer.send(new ProducerRecord<>(TOPIC, key, value)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void onlyTheLatestValuePerKeyRemainsAtItsOriginalOffset() throws Exception {
        final Map<String, Long> latestOffset = new HashMap<>();
        final Map<String, String> latestValue = new HashMap<>();
        int written = 0;
        for (int round = 0; round < 8; round++) {
            for (int k = 0; k < 4; k++) {
                final String key = "key-" + k;
                final String value = "value-" + round + "-" + k;
                latestOffset.put(key, send(key, value).offset());
                latestValue.put(key, value);
                written++;
            }
        }
        latestOffset.put("key-2", send("key-2", null).offset());
        latestValue.put("key-2", null);
        written++;
        // Writes to another key roll the segments holding the records above, so the cleaner may take them.
        for (int i = 0; i < 12; i++) {
            send("filler", "f" + i);
            written++;
        }
        final int total = written;

        final Map<String, ConsumerRecord<String, String>> byKey = new LinkedHashMap<>();
        Brokers.await(WAIT, "the cleaner to keep one record per key-* key", () -> {
            final List<ConsumerRecord<String, String>> records = Brokers.readAll(consumer, List.of(TP), WAIT);
            byKey.clear();
            int keyed = 0;
            for (ConsumerRecord<String, String> r : records) {
                if (r.key().startsWith("key-")) {
                    keyed++;
                    byKey.put(r.key(), r);
                }
            }
            return keyed == 4 && records.size() < total;
        });

        assertThat(byKey).hasSize(4);
        for (int k = 0; k < 4; k++) {
            final ConsumerRecord<String, String> r = byKey.get("key-" + k);
            assertThat(r.offset()).as("offset of key-%d", k).isEqualTo(latestOffset.get("key-" + k));
            assertThat(r.value()).as("value of key-%d", k).isEqualTo(latestValue.get("key-" + k));
        }
        assertThat(byKey.get("key-2").value()).as("the tombstone stays for delete.retention.ms").isNull();
        assertThat(consumer.endOffsets(List.of(TP)).get(TP)).isEqualTo(total);
        assertThat(consumer.beginningOffsets(List.of(TP)).get(TP)).isZero();

        assertThatThrownBy(() -> send(null, "no key"))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("Compacted topic cannot accept message without key in topic partition "
                        + "compacted-0");
    }

    @Test
    void compactionConfigsAreDescribedAndCanBeAltered() throws Exception {
        final Config config = describe(TOPIC);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(config.get("cleanup.policy").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("min.cleanable.dirty.ratio").value()).isEqualTo("0.01");
        assertThat(config.get("delete.retention.ms").value()).isEqualTo("86400000");
        assertThat(config.get("delete.retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("min.compaction.lag.ms").value()).isEqualTo("0");
        assertThat(config.get("max.compaction.lag.ms").value()).isEqualTo(Long.toString(Long.MAX_VALUE));

        Brokers.createTopic(admin, "plain", 1);
        final ConfigResource plain = new ConfigResource(ConfigResource.Type.TOPIC, "plain");
        admin.incrementalAlterConfigs(Map.of(plain, List.of(
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact,delete"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("delete.retention.ms", "1000"), AlterConfigOp.OpType.SET))))
                .all().get(30, TimeUnit.SECONDS);
        final Config altered = describe("plain");
        assertThat(altered.get("cleanup.policy").value()).isEqualTo("compact,delete");
        assertThat(altered.get("delete.retention.ms").value()).isEqualTo("1000");

        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(plain, List.of(new AlterConfigOp(
                new ConfigEntry("cleanup.policy", "shred"), AlterConfigOp.OpType.SET)))).all().get(30,
                TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("cleanup.policy");
    }
}

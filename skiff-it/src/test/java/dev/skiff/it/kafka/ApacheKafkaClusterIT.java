package dev.skiff.it.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.kafkapeer.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves the Apache Kafka peer harness ({@link KafkaCluster}) with Kafka's own clients, so that tests of Skiff's
 * producer against Kafka can trust it: a single node round-trips records through a consumer group, and a three-node
 * cluster keeps every acknowledged {@code acks=all} record when the leader of partition 0 is killed.
 */
class ApacheKafkaClusterIT {
    private static final Duration CLIENT_WAIT = Duration.ofSeconds(60);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void singleNodeRoundTripsAThousandRecordsThroughAConsumerGroup() throws Exception {
        try (KafkaCluster kafka = KafkaCluster.start(1); Admin admin = Admin.create(kafka.clientConfig())) {
            admin.createTopics(List.of(new NewTopic("round-trip", 3, (short) 1))).all()
                    .get(CLIENT_WAIT.toSeconds(), TimeUnit.SECONDS);

            final List<String> sent = new ArrayList<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(kafka, "1"))) {
                final List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    final String value = "value-" + i;
                    acks.add(producer.send(new ProducerRecord<>("round-trip", "key-" + i, value)));
                    sent.add(value);
                }
                for (final Future<RecordMetadata> ack : acks) {
                    ack.get(CLIENT_WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            }

            final Map<String, Object> config = consumerConfig(kafka);
            config.put(ConsumerConfig.GROUP_ID_CONFIG, "round-trip-readers");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
                consumer.subscribe(List.of("round-trip"));
                assertThat(readValues(consumer, sent.size())).containsExactlyInAnyOrderElementsOf(sent);
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void threeNodesKeepEveryAcknowledgedRecordWhenTheLeaderIsKilled() throws Exception {
        final String topic = "fail-over";
        try (KafkaCluster kafka = KafkaCluster.start(3); Admin admin = Admin.create(kafka.clientConfig())) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(CLIENT_WAIT.toSeconds(), TimeUnit.SECONDS);

            final List<String> acked = new ArrayList<>();
            final int killed;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(kafka, "all"))) {
                acked.addAll(sendAndAwait(producer, topic, "before", 300));
                killed = leaderOfPartitionZero(admin, topic).id();

                kafka.killBroker(killed);

                final List<String> after = sendAndAwait(producer, topic, "after", 300);
                acked.addAll(after);
            }

            final TopicPartitionInfo partitionZero = describe(admin, topic).partitions().get(0);
            assertThat(partitionZero.leader().id()).isNotEqualTo(killed);
            assertThat(partitionZero.isr()).extracting(Node::id).doesNotContain(killed).hasSize(2);

            final List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0),
                    new TopicPartition(topic, 1), new TopicPartition(topic, 2));
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(kafka))) {
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                assertThat(readValues(consumer, acked.size())).containsExactlyInAnyOrderElementsOf(acked);
            }

            kafka.startBroker(killed);
            assertThat(admin.describeCluster().nodes().get(CLIENT_WAIT.toSeconds(), TimeUnit.SECONDS))
                    .extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
        }
    }

    /** Sends {@code count} keyed records and returns their values once every one is acknowledged. */
    private static List<String> sendAndAwait(final KafkaProducer<String, String> producer, final String topic,
            final String prefix, final int count) throws Exception {
        final List<Future<RecordMetadata>> acks = new ArrayList<>();
        final List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final String value = prefix + "-" + i;
            acks.add(producer.send(new ProducerRecord<>(topic, "key-" + i, value)));
            values.add(value);
        }
        final Set<Integer> partitions = new TreeSet<>();
        for (final Future<RecordMetadata> ack : acks) {
            partitions.add(ack.get(CLIENT_WAIT.toSeconds(), TimeUnit.SECONDS).partition());
        }
        // Every partition, partition 0 included, must have taken acknowledged writes in this round.
        assertThat(partitions).containsExactly(0, 1, 2);
        return values;
    }

    private static List<String> readValues(final KafkaConsumer<String, String> consumer, final int expected) {
        final List<String> values = new ArrayList<>();
        final long deadline = System.nanoTime() + CLIENT_WAIT.toNanos();
        while (values.size() < expected && System.nanoTime() < deadline) {
            for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                values.add(record.value());
            }
        }
        return values;
    }

    private static Node leaderOfPartitionZero(final Admin admin, final String topic) throws Exception {
        final Node leader = describe(admin, topic).partitions().get(0).leader();
        assertThat(leader).as("leader of %s-0", topic).isNotNull();
        return leader;
    }

    private static TopicDescription describe(final Admin admin, final String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(CLIENT_WAIT.toSeconds(), TimeUnit.SECONDS)
                .get(topic);
    }

    private static Map<String, Object> producerConfig(final KafkaCluster kafka, final String acks) {
        final Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, acks);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "all".equals(acks));
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) CLIENT_WAIT.toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return config;
    }

    private static Map<String, Object> consumerConfig(final KafkaCluster kafka) {
        final Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return config;
    }
}

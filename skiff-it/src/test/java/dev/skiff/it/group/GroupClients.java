package dev.skiff.it.group;

import dev.skiff.broker.Broker;
import dev.skiff.broker.BrokerConfig;
import dev.skiff.it.Brokers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Brokers and kafka-clients 4.4 clients for the consumer group tests, with timeouts that fail fast. */
final class GroupClients {
    static final Duration CALL_TIMEOUT = Brokers.CALL_TIMEOUT;

    private GroupClients() {
    }

    /** A broker on a free loopback port; group.initial.rebalance.delay.ms as given. */
    static Broker start(Path dir, int initialRebalanceDelayMs) {
        return Broker.start(BrokerConfig.builder().logDir(dir).listener("127.0.0.1", 0)
                .set(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, Integer.toString(initialRebalanceDelayMs))
                .build());
    }

    static Admin admin(Broker broker) {
        return Brokers.admin(broker);
    }

    static void createTopic(Broker broker, String topic, int partitions) throws Exception {
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Produces values {@code first..first+count-1} as "key-i"/"v-i", round-robin over the partitions. */
    static void produce(Broker broker, String topic, int partitions, int first, int count) throws Exception {
        final Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = first; i < first + count; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, "key-" + i, "v-" + i));
            }
            producer.flush();
        }
    }

    /** A group consumer: manual commits, earliest reset, short session so tests see expiry quickly. */
    static KafkaConsumer<String, String> consumer(Broker broker, String group, Map<String, Object> overrides) {
        final Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 30_000);
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.putAll(overrides);
        return new KafkaConsumer<>(props);
    }

    /** Polls {@code condition} until it holds: see {@link Brokers#await}. */
    static void await(Duration timeout, String what, Brokers.Condition condition) throws Exception {
        Brokers.await(timeout, what, condition);
    }

    /** Closes every resource, keeping the first failure: see {@link Brokers#closeAll}. */
    static void closeAll(AutoCloseable... resources) {
        Brokers.closeAll(resources);
    }
}

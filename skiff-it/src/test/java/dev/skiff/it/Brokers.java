package dev.skiff.it;

import dev.skiff.broker.Broker;
import dev.skiff.broker.BrokerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Shared set-up for the integration tests: an embedded broker in a temp directory and Kafka's own clients
 * pointed at it, with timeouts short enough that a broken broker fails a test instead of hanging it.
 */
public final class Brokers {
    /** How long a helper waits for an admin or client call before the test fails. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private Brokers() {
    }

    /** Starts a broker on a free loopback port with its logs in {@code dir} and the given key/value pairs. */
    static Broker start(Path dir, String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keyValues must come in pairs");
        }
        final Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.put(keyValues[i], keyValues[i + 1]);
        }
        return start(dir, overrides);
    }

    /** Starts a broker on a free loopback port with its logs in {@code dir} and these broker configs. */
    static Broker start(Path dir, Map<String, String> overrides) {
        final BrokerConfig.Builder builder = BrokerConfig.builder().logDir(dir).listener("127.0.0.1", 0);
        overrides.forEach(builder::set);
        return Broker.start(builder.build());
    }

    /** Closes every resource, keeping the first failure and adding the rest as suppressed. */
    public static void closeAll(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("close failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    public static Admin admin(Broker broker) {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(props);
    }

    /** A String producer with Kafka's defaults (idempotent, acks=all) plus {@code overrides}. */
    static KafkaProducer<String, String> producer(Broker broker, Map<String, Object> overrides) {
        return producer(broker.bootstrapServers(), overrides);
    }

    static KafkaProducer<String, String> producer(String bootstrap, Map<String, Object> overrides) {
        final Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        props.putAll(overrides);
        return new KafkaProducer<>(props);
    }

    /** A String consumer without a group: tests assign partitions themselves. */
    static KafkaConsumer<String, String> consumer(Broker broker, Map<String, Object> overrides) {
        final Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.putAll(overrides);
        return new KafkaConsumer<>(props);
    }

    /** Creates a topic with replication factor 1 and waits for the answer. */
    static void createTopic(Admin admin, String name, int partitions) throws Exception {
        createTopic(admin, new NewTopic(name, partitions, (short) 1));
    }

    static void createTopic(Admin admin, NewTopic topic) throws Exception {
        admin.createTopics(List.of(topic)).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static List<TopicPartition> partitions(String topic, int count) {
        final List<TopicPartition> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new TopicPartition(topic, i));
        }
        return list;
    }

    /**
     * Reads every record of {@code partitions} from the log start to the log end offset as of this call:
     * assign, seekToBeginning, then poll until each position reaches its end offset or the timeout runs out.
     */
    static List<ConsumerRecord<String, String>> readAll(KafkaConsumer<String, String> consumer,
                                                        Collection<TopicPartition> partitions, Duration timeout) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, CALL_TIMEOUT);
        final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!reachedEnd(consumer, ends)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("did not reach end offsets " + ends + " within " + timeout + "; read "
                        + records.size() + " records");
            }
            final ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(200));
            batch.forEach(records::add);
        }
        return records;
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), CALL_TIMEOUT) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Polls {@code condition} every 20 ms until it holds; fails with {@code what} after {@code timeout}. */
    public static void await(Duration timeout, String what, Condition condition) throws Exception {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** A condition for {@link #await}. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }
}

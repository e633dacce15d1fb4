package dev.skiff.it;

import static dev.skiff.it.Brokers.CALL_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.Broker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a broker in the middle of an acks=all stream loses nothing it acknowledged: after recovery
 * every acknowledged record is at exactly the offset the producer was told, and the log takes new appends.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CrashRecoveryIT {
    private static final String TOPIC = "crash";
    private static final int PARTITIONS = 3;
    /** Acknowledged records to wait for before the kill: enough for several segments per partition. */
    private static final int ACKED_BEFORE_KILL = 6_000;
    private static final String PAYLOAD = "x".repeat(1_000);
    /** Stands for {@link #PAYLOAD} in recorded values, so a failure message does not print kilobytes of x. */
    private static final String PAYLOAD_MARK = "<payload>";

    @TempDir
    Path dataDir;

    /** One acknowledged record: where the broker said it put it. */
    private record Acked(int partition, long offset, String value) {
    }

    @Test
    void everyAcknowledgedRecordSurvivesSigkillAtItsOffset() throws Exception {
        final ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
        final AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        try (BrokerProcess process = BrokerProcess.start(dataDir, Duration.ofSeconds(60),
                "log.segment.bytes=1048576", "num.partitions=" + PARTITIONS)) {
            createTopic(process.bootstrapServers());
            final KafkaProducer<String, String> producer = Brokers.producer(process.bootstrapServers(), Map.of(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 2,
                    ProducerConfig.BATCH_SIZE_CONFIG, 32 * 1024));
            final AtomicBoolean stop = new AtomicBoolean();
            final Semaphore inFlight = new Semaphore(2_000);
            final Thread sender = new Thread(() -> {
                int i = 0;
                try {
                    while (!stop.get()) {
                        if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                        final String value = "value-" + i + "-";
                        final String key = "key-" + i;
                        i++;
                        try {
                            producer.send(new ProducerRecord<>(TOPIC, key, value + PAYLOAD), (meta, error) -> {
                                inFlight.release();
                                if (error == null) {
                                    acked.add(new Acked(meta.partition(), meta.offset(), value + PAYLOAD_MARK));
                                }
                            });
                        } catch (KafkaException e) {
                            // After the kill, sends may fail fast (buffer exhausted, producer closing).
                            inFlight.release();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    senderFailure.set(e);
                }
            }, "crash-test-sender");
            sender.start();
            try {
                Brokers.await(Duration.ofSeconds(120), ACKED_BEFORE_KILL + " acknowledged records",
                        () -> acked.size() >= ACKED_BEFORE_KILL || !process.isAlive());
                assertThat(process.isAlive()).as("broker died on its own:\n%s", process.output()).isTrue();

                process.kill();
            } finally {
                stop.set(true);
                sender.join(TimeUnit.SECONDS.toMillis(30));
                // Abort whatever is still waiting for a broker that no longer exists.
                producer.close(Duration.ZERO);
            }
            assertThat(senderFailure.get()).isNull();
        }

        final List<Acked> acknowledged = new ArrayList<>(acked);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKED_BEFORE_KILL);

        final Map<String, String> afterAppend;
        try (Broker broker = Brokers.start(dataDir)) {
            final Map<String, String> recovered = readAll(broker);
            for (Acked a : acknowledged) {
                assertThat(recovered.get(a.partition() + "/" + a.offset()))
                        .as("acknowledged record at %s-%d/%d", TOPIC, a.partition(), a.offset())
                        .isEqualTo(a.value());
            }
            assertThat(new HashSet<>(recovered.values()).size()).as("no record is stored twice")
                    .isEqualTo(recovered.size());

            final Map<TopicPartition, Long> ends;
            try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
                ends = consumer.endOffsets(Brokers.partitions(TOPIC, PARTITIONS), CALL_TIMEOUT);
            }
            try (KafkaProducer<String, String> producer = Brokers.producer(broker, Map.of())) {
                for (int p = 0; p < PARTITIONS; p++) {
                    final RecordMetadata meta = producer.send(new ProducerRecord<>(TOPIC, p, "after", "after-" + p))
                            .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    assertThat(meta.offset()).as("first append to partition %d after recovery", p)
                            .isEqualTo(ends.get(new TopicPartition(TOPIC, p)));
                }
            }
            afterAppend = readAll(broker);
            assertThat(afterAppend.size()).isEqualTo(recovered.size() + PARTITIONS);
            for (Map.Entry<String, String> before : recovered.entrySet()) {
                assertThat(afterAppend.get(before.getKey())).as("record %s after new appends", before.getKey())
                        .isEqualTo(before.getValue());
            }
        }

        // Recovery left a log that a clean shutdown and a plain restart read back unchanged.
        try (Broker broker = Brokers.start(dataDir)) {
            final Map<String, String> again = readAll(broker);
            assertThat(again.size()).isEqualTo(afterAppend.size());
            for (Map.Entry<String, String> e : afterAppend.entrySet()) {
                assertThat(again.get(e.getKey())).as("record %s after a clean restart", e.getKey())
                        .isEqualTo(e.getValue());
            }
        }
    }

    private static void createTopic(String bootstrap) throws Exception {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Brokers.createTopic(admin, TOPIC, PARTITIONS);
        }
    }

    /** Every record, as "partition/offset" -> value, checking that offsets are contiguous from 0. */
    private static Map<String, String> readAll(Broker broker) {
        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
            final Map<String, String> all = new HashMap<>();
            final Map<Integer, Long> next = new HashMap<>();
            final Set<Integer> seen = new HashSet<>();
            for (ConsumerRecord<String, String> r :
                    Brokers.readAll(consumer, Brokers.partitions(TOPIC, PARTITIONS), Duration.ofSeconds(90))) {
                seen.add(r.partition());
                final long expected = next.getOrDefault(r.partition(), 0L);
                assertThat(r.offset()).as("offsets of partition %d are contiguous", r.partition()).isEqualTo(expected);
                next.put(r.partition(), expected + 1);
                final String v = r.value();
                all.put(r.partition() + "/" + r.offset(),
                        v.endsWith(PAYLOAD) ? v.substring(0, v.length() - PAYLOAD.length()) + PAYLOAD_MARK : v);
            }
            return all;
        }
    }
}

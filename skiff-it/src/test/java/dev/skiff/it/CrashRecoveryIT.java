package dev.skiff.it;

import static dev.skiff.it.Brokers.CALL_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.Broker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * Sends keyed records from its own thread, at most 2,000 unacknowledged at a time, until stopped or
     * until {@code limit} records were handed to the producer; records every acknowledgement and failure.
     */
    private static final class StreamingSender {
        private final KafkaProducer<String, String> producer;
        private final int limit;
        private final ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Exception> failures = new ConcurrentLinkedQueue<>();
        private final AtomicReference<Throwable> crashed = new AtomicReference<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger sent = new AtomicInteger();
        private final Semaphore inFlight = new Semaphore(2_000);
        private final Thread thread = new Thread(this::run, "crash-test-sender");

        StreamingSender(KafkaProducer<String, String> producer, int limit) {
            this.producer = producer;
            this.limit = limit;
            thread.start();
        }

        private void run() {
            try {
                while (!stop.get() && sent.get() < limit) {
                    if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    final int i = sent.getAndIncrement();
                    final String value = "value-" + i + "-";
                    try {
                        producer.send(new ProducerRecord<>(TOPIC, "key-" + i, value + PAYLOAD), (meta, error) -> {
                            inFlight.release();
                            if (error == null) {
                                acked.add(new Acked(meta.partition(), meta.offset(), value + PAYLOAD_MARK));
                            } else {
                                failures.add(error);
                            }
                        });
                    } catch (KafkaException e) {
                        // After a kill, sends may fail fast (producer closing); the record was not sent.
                        inFlight.release();
                        failures.add(e);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                crashed.set(e);
            }
        }

        int ackedCount() {
            return acked.size();
        }

        /** Stops sending and waits for the thread; the producer is not closed. */
        void stopSending() throws InterruptedException {
            stop.set(true);
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).as("sender thread stopped").isFalse();
            assertThat(crashed.get()).as("sender thread failure").isNull();
        }

        boolean finishedSending() {
            return !thread.isAlive();
        }
    }

    @Test
    void everyAcknowledgedRecordSurvivesSigkillAtItsOffset() throws Exception {
        final List<Acked> acknowledged;
        try (BrokerProcess process = BrokerProcess.start(dataDir, Duration.ofSeconds(60),
                "log.segment.bytes=1048576", "num.partitions=" + PARTITIONS)) {
            createTopic(process.bootstrapServers());
            final KafkaProducer<String, String> producer = crashTestProducer(process.bootstrapServers());
            final StreamingSender sender = new StreamingSender(producer, Integer.MAX_VALUE);
            try {
                awaitAcked(sender, process);
                process.kill();
            } finally {
                sender.stopSending();
                // Abort whatever is still waiting for a broker that no longer exists.
                producer.close(Duration.ZERO);
            }
            acknowledged = new ArrayList<>(sender.acked);
        }
        assertThat(acknowledged.size()).isGreaterThanOrEqualTo(ACKED_BEFORE_KILL);

        final Map<String, String> afterAppend;
        try (Broker broker = Brokers.start(dataDir)) {
            final Map<String, String> recovered = readAll(broker);
            assertAcknowledgedRecordsAt(acknowledged, recovered);
            assertThat(new HashSet<>(recovered.values()).size()).as("no record is stored twice")
                    .isEqualTo(recovered.size());
            try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
                // The time indexes are rebuilt by recovery: lookups must agree with the records' timestamps.
                LogAssertions.assertOffsetsForTimesMatchRecords(consumer,
                        Brokers.readAll(consumer, Brokers.partitions(TOPIC, PARTITIONS), Duration.ofSeconds(90)));
            }

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
            assertSameRecords(afterAppend, recovered, "after new appends");
        }

        // Recovery left a log that a clean shutdown and a plain restart read back unchanged.
        try (Broker broker = Brokers.start(dataDir)) {
            final Map<String, String> again = readAll(broker);
            assertThat(again.size()).isEqualTo(afterAppend.size());
            assertSameRecords(again, afterAppend, "after a clean restart");
        }
    }

    @Test
    void idempotentProducerRidesThroughKillAndRestartWithoutLossOrDuplicates() throws Exception {
        final int total = 9_000;
        final int port = freePort();
        KafkaProducer<String, String> producer = null;
        StreamingSender sender = null;
        try {
            try (BrokerProcess process = BrokerProcess.start(dataDir, port, Duration.ofSeconds(60),
                    "log.segment.bytes=1048576")) {
                createTopic(process.bootstrapServers());
                producer = crashTestProducer(process.bootstrapServers());
                sender = new StreamingSender(producer, total);
                awaitAcked(sender, process);
                process.kill();
            }
            // Same port, same log: the same producer (same producer id and sequences) retries what the crash
            // cut off, and the recovered producer state must tell retries from new records.
            try (Broker broker = Brokers.start(dataDir, "listeners", "PLAINTEXT://127.0.0.1:" + port)) {
                Brokers.await(Duration.ofSeconds(150), "all " + total + " records handed to the producer",
                        sender::finishedSending);
                producer.flush();
                sender.stopSending();
                assertThat(sender.failures).as("send failures").isEmpty();
                final List<Acked> acknowledged = new ArrayList<>(sender.acked);
                assertThat(acknowledged.size()).isEqualTo(total);

                final Map<String, String> stored = readAll(broker);
                assertAcknowledgedRecordsAt(acknowledged, stored);
                assertThat(stored.size()).as("records stored: each once, none lost").isEqualTo(total);
                assertThat(new HashSet<>(stored.values()).size()).as("no record is stored twice").isEqualTo(total);
            }
        } finally {
            if (sender != null) {
                sender.stopSending();
            }
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
        }
    }

    private static KafkaProducer<String, String> crashTestProducer(String bootstrap) {
        return Brokers.producer(bootstrap, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.BATCH_SIZE_CONFIG, 32 * 1024,
                // Long enough to ride through a restart; reconnects quickly once the broker is back.
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500,
                ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 500));
    }

    private static void awaitAcked(StreamingSender sender, BrokerProcess process) throws Exception {
        Brokers.await(Duration.ofSeconds(120), ACKED_BEFORE_KILL + " acknowledged records",
                () -> sender.ackedCount() >= ACKED_BEFORE_KILL || !process.isAlive());
        assertThat(process.isAlive()).as("broker died on its own:\n%s", process.output()).isTrue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void createTopic(String bootstrap) throws Exception {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Brokers.createTopic(admin, TOPIC, PARTITIONS);
        }
    }

    private static void assertAcknowledgedRecordsAt(List<Acked> acknowledged, Map<String, String> stored) {
        for (Acked a : acknowledged) {
            assertThat(stored.get(a.partition() + "/" + a.offset()))
                    .as("acknowledged record at %s-%d/%d", TOPIC, a.partition(), a.offset())
                    .isEqualTo(a.value());
        }
    }

    private static void assertSameRecords(Map<String, String> actual, Map<String, String> expected, String when) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(actual.get(e.getKey())).as("record %s %s", e.getKey(), when).isEqualTo(e.getValue());
        }
    }

    /** Every record, as "partition/offset" -> value, checking that offsets are contiguous from 0. */
    private static Map<String, String> readAll(Broker broker) {
        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
            final Map<String, String> all = new HashMap<>();
            final Map<Integer, Long> next = new HashMap<>();
            for (ConsumerRecord<String, String> r :
                    Brokers.readAll(consumer, Brokers.partitions(TOPIC, PARTITIONS), Duration.ofSeconds(90))) {
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

package dev.skiff.it.producer;

import dev.skiff.client.producer.Producer;
import dev.skiff.client.producer.ProducerConfig;
import dev.skiff.client.producer.ProducerMetrics;
import dev.skiff.client.producer.ProducerRecord;
import dev.skiff.client.producer.RecordMetadata;
import dev.skiff.client.serde.StringSerializer;
import dev.skiff.kafkapeer.KafkaCluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Skiff producer with acks=all and idempotence against a 3-node Apache Kafka 4.4 cluster (RF 3,
 * min.insync.replicas 2) whose partition leader is SIGKILLed in the middle of a 100k-record send: every
 * future must complete successfully and KafkaConsumer must read every record exactly once, in send order
 * per partition. This is the fail-over path users rely on when they move from Skiff's broker to Kafka.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ProducerLeaderFailoverIT {
    private static final String TOPIC = "fail-over";
    private static final int PARTITIONS = 3;
    private static KafkaCluster kafka;
    private static Admin admin;

    @BeforeAll
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    static void startKafka() throws Exception {
        kafka = KafkaCluster.builder().nodes(3).start();
        admin = ReadBack.admin(kafka.bootstrapServers());
        ReadBack.createTopic(admin, new NewTopic(TOPIC, PARTITIONS, (short) 3)
                .configs(Map.of("min.insync.replicas", "2")));
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

    @Test
    void killingAPartitionLeaderMidSendLosesDuplicatesAndReordersNothing() throws Exception {
        final int n = 100_000;
        final int killAt = n / 3;
        final List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(n);
        final AtomicInteger acked = new AtomicInteger();
        int killedLeader = -1;
        final ProducerMetrics metrics;
        try (Producer<String, String> producer = Producer.create(ProducerConfig.builder()
                .bootstrapServers(kafka.bootstrapServers()).acks("all").enableIdempotence(true)
                .lingerMs(5).batchSize(16_384).requestTimeoutMs(10_000).deliveryTimeoutMs(120_000)
                .retryBackoffMs(50).retryBackoffMaxMs(500).build(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < n; i++) {
                // 60 keys spread over every partition; the value is the send index, so order and
                // exactly-once can be checked per partition on the way back.
                futures.add(producer.send(new ProducerRecord<>(TOPIC, "key-" + (i % 60), Integer.toString(i)),
                        (md, e) -> acked.incrementAndGet()));
                if (i == killAt) {
                    // Some records acknowledged, thousands still buffered or in flight: kill the leader now.
                    awaitAtLeast(acked, 1_000);
                    killedLeader = leaderOf(0);
                    kafka.killBroker(killedLeader);
                }
            }
            producer.flush();
            metrics = producer.metrics();
        }
        for (int i = 0; i < n; i++) {
            final RecordMetadata md = futures.get(i).get(30, TimeUnit.SECONDS);
            assertThat(md.offset()).as("offset of record %d", i).isGreaterThanOrEqualTo(0);
        }
        assertThat(metrics.recordErrors()).isZero();
        assertThat(leaderOf(0)).as("partition 0 moved to a live broker").isNotEqualTo(killedLeader);
        final List<ConsumerRecord<byte[], byte[]>> read = ReadBack.readAll(kafka.bootstrapServers(), TOPIC,
                PARTITIONS, n);
        ReadBack.assertExactlyOnceInOrder(read, n);
        assertThat(read).hasSize(n);
    }

    private static void awaitAtLeast(AtomicInteger counter, int target) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (counter) {
            while (counter.get() < target) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + counter.get() + " records acknowledged before the kill");
                }
                counter.wait(10);
            }
        }
    }

    private static int leaderOf(int partition) throws Exception {
        final Node leader = admin.describeTopics(List.of(TOPIC)).allTopicNames()
                .get(ReadBack.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(TOPIC).partitions().get(partition)
                .leader();
        assertThat(leader).as("leader of %s-%d", TOPIC, partition).isNotNull();
        return leader.id();
    }
}

package dev.skiff.it.producer;

import dev.skiff.broker.Broker;
import dev.skiff.broker.BrokerConfig;
import dev.skiff.client.producer.Producer;
import dev.skiff.client.producer.ProducerConfig;
import dev.skiff.client.producer.ProducerMetrics;
import dev.skiff.client.producer.ProducerRecord;
import dev.skiff.client.producer.RecordMetadata;
import dev.skiff.client.serde.StringSerializer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Skiff producer against a Skiff broker that is restarted (close, then start on the same directory
 * and port) twice while another thread is sending: the counterpart of {@link ProducerLeaderFailoverIT}
 * for a single node. skiff-client's ProducerFaultIT restarts once between two sends of one thread with
 * keyed records; this one restarts concurrently with the sending thread, with null keys (the sticky
 * partitioner keeps moving between partitions across the restarts) and lz4 batches, and KafkaConsumer
 * judges the result.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProducerBrokerRestartIT {
    @TempDir
    Path dir;

    @Test
    void restartingTheBrokerTwiceMidSendLosesDuplicatesAndReordersNothing() throws Exception {
        final String topic = "restarts";
        final int partitions = 4;
        final int n = 100_000;
        Broker broker = start(0);
        final int port = broker.port();
        final String bootstrap = broker.bootstrapServers();
        try {
            try (Admin admin = ReadBack.admin(bootstrap)) {
                ReadBack.createTopic(admin, new NewTopic(topic, partitions, (short) 1));
            }
            final List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(n);
            final AtomicInteger sent = new AtomicInteger();
            final AtomicInteger acked = new AtomicInteger();
            final ProducerMetrics metrics;
            try (Producer<String, String> producer = Producer.create(ProducerConfig.builder()
                    .bootstrapServers(bootstrap).compressionType("lz4").lingerMs(2).batchSize(8192)
                    .retryBackoffMs(20).retryBackoffMaxMs(200).deliveryTimeoutMs(60_000).requestTimeoutMs(10_000)
                    .build(), new StringSerializer(), new StringSerializer())) {
                final Thread sender = new Thread(() -> {
                    for (int i = 0; i < n; i++) {
                        futures.add(producer.send(new ProducerRecord<>(topic, null, Integer.toString(i)),
                                (md, e) -> acked.incrementAndGet()));
                        sent.incrementAndGet();
                    }
                }, "restart-it-sender");
                sender.start();
                try {
                    for (int restart = 1; restart <= 2; restart++) {
                        // Restart while the sender is mid-way, with acknowledged and unacknowledged records.
                        final int target = n * restart / 3;
                        awaitAtLeast(sent, target);
                        awaitAtLeast(acked, target / 2);
                        broker.close();
                        broker = start(port);
                    }
                } finally {
                    sender.join(TimeUnit.SECONDS.toMillis(60));
                }
                assertThat(sender.isAlive()).as("sending thread finished").isFalse();
                producer.flush();
                metrics = producer.metrics();
            }
            assertThat(futures).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(futures.get(i).get(30, TimeUnit.SECONDS).offset()).as("offset of record %d", i)
                        .isGreaterThanOrEqualTo(0);
            }
            assertThat(metrics.recordErrors()).isZero();
            final List<ConsumerRecord<byte[], byte[]>> read = ReadBack.readAll(bootstrap, topic, partitions, n);
            ReadBack.assertExactlyOnceInOrder(read, n);
            assertThat(read).hasSize(n);
            assertThat(read.stream().map(ConsumerRecord::partition).distinct().count())
                    .as("null keys spread over the partitions").isEqualTo(partitions);
        } finally {
            broker.close();
        }
    }

    private Broker start(int port) {
        return Broker.start(BrokerConfig.builder().logDir(dir).listener("127.0.0.1", port).build());
    }

    private static void awaitAtLeast(AtomicInteger counter, int target) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counter.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("counter stuck at " + counter.get() + ", waited for " + target
                        + ReadBack.threadDump());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}

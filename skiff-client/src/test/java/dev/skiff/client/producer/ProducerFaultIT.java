package dev.skiff.client.producer;

import dev.skiff.broker.Broker;
import dev.skiff.broker.BrokerConfig;
import dev.skiff.client.serde.ByteArraySerializer;
import dev.skiff.client.serde.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retries, idempotence, memory pressure and close against a Skiff broker that goes away. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProducerFaultIT {
    @TempDir
    Path dir;

    @Test
    void aBrokerRestartMidSendLosesAndDuplicatesNothingAndKeepsOrder() throws Exception {
        Broker broker = Broker.start(BrokerConfig.builder().logDir(dir).listener("127.0.0.1", 0).build());
        final int port = broker.port();
        final String bootstrap = broker.bootstrapServers();
        final String topic = "restart";
        final int n = 20_000;
        final List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try {
            new EmbeddedBrokerView(broker).createTopic(topic, 6);
            try (Producer<String, String> producer = Producer.create(ProducerConfig.builder()
                    .bootstrapServers(bootstrap).lingerMs(1).batchSize(2048).retryBackoffMs(20)
                    .retryBackoffMaxMs(200).build(), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < n; i++) {
                    futures.add(producer.send(new ProducerRecord<>(topic, "k" + (i % 60), Integer.toString(i))));
                    if (i == n / 2) {
                        broker.close();
                        broker = Broker.start(BrokerConfig.builder().logDir(dir).listener("127.0.0.1", port).build());
                    }
                }
                producer.flush();
            }
            for (CompletableFuture<RecordMetadata> f : futures) {
                assertThat(f.get(30, TimeUnit.SECONDS).offset()).isGreaterThanOrEqualTo(0);
            }
            final List<ConsumerRecord<byte[], byte[]>> read = new EmbeddedBrokerView(broker).readAll(topic, 6, n);
            assertThat(read).hasSize(n);
            final Set<Integer> seen = new HashSet<>();
            final Map<String, Integer> lastPerKey = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : read) {
                final int v = Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8));
                assertThat(seen.add(v)).as("value %d read once", v).isTrue();
                final String key = new String(r.key(), StandardCharsets.UTF_8);
                final Integer prev = lastPerKey.put(key, v);
                if (prev != null) {
                    assertThat(v).as("order of key %s", key).isGreaterThan(prev);
                }
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void recordsForAnUnreachableBrokerExpireAfterDeliveryTimeout() throws Exception {
        final Broker broker = Broker.start(BrokerConfig.builder().logDir(dir).listener("127.0.0.1", 0).build());
        final String bootstrap = broker.bootstrapServers();
        new EmbeddedBrokerView(broker).createTopic("gone", 1);
        try (Producer<String, String> producer = Producer.create(ProducerConfig.builder().bootstrapServers(bootstrap)
                .deliveryTimeoutMs(1500).requestTimeoutMs(1000).lingerMs(0).build(), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("gone", "first")).get(10, TimeUnit.SECONDS);
            broker.close();
            final CompletableFuture<RecordMetadata> f = producer.send(new ProducerRecord<>("gone", "second"));
            assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(DeliveryTimeoutException.class)
                    .hasMessageContaining("delivery.timeout.ms=1500");
        }
    }

    @Test
    void trySendFailsAtOnceAndSendFailsAfterMaxBlockWhenBufferMemoryIsFull() throws Exception {
        final int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (Producer<byte[], byte[]> producer = Producer.create(ProducerConfig.builder()
                .bootstrapServers("127.0.0.1:" + port).bufferMemory(64 * 1024).batchSize(16 * 1024).maxBlockMs(1000)
                .build(), new ByteArraySerializer(), new ByteArraySerializer())) {
            CompletableFuture<RecordMetadata> f;
            int sent = 0;
            do {
                f = producer.trySend(new ProducerRecord<>("t", new byte[8 * 1024]));
                sent++;
            } while (!f.isCompletedExceptionally() && sent < 100);
            assertThat(sent).isBetween(2, 20);
            assertThatThrownBy(f::join).cause().isInstanceOf(BufferExhaustedException.class)
                    .hasMessageContaining("trySend");
            final long start = System.nanoTime();
            final CompletableFuture<RecordMetadata> blocked = producer.send(new ProducerRecord<>("t", new byte[8192]));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(500);
            // Either the wait for memory ends first, or the parked records expire (same max.block.ms) and
            // this one then waits for metadata that never comes: both fail the record, neither hangs.
            assertThatThrownBy(() -> blocked.get(5, TimeUnit.SECONDS)).cause()
                    .isInstanceOfAny(BufferExhaustedException.class, DeliveryTimeoutException.class)
                    .hasMessageContaining("max.block.ms=1000");
        }
    }

    @Test
    void closeWithTimeoutFailsWhatIsLeft() {
        final Producer<String, String> producer = Producer.create(ProducerConfig.builder()
                .bootstrapServers("127.0.0.1:1").build(), new StringSerializer(), new StringSerializer());
        final CompletableFuture<RecordMetadata> f = producer.send(new ProducerRecord<>("t", "v"));
        final long start = System.nanoTime();
        producer.close(java.time.Duration.ofMillis(200));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::join).cause().isInstanceOf(ProducerClosedException.class);
    }

    @Test
    void manyThreadsShareOneProducerAndAcksZeroAndOneWork() throws Exception {
        final Broker broker = Broker.start(BrokerConfig.builder().logDir(dir).listener("127.0.0.1", 0).build());
        try {
            final EmbeddedBrokerView view = new EmbeddedBrokerView(broker);
            view.createTopic("threads", 6);
            for (String acks : List.of("0", "1", "all")) {
                try (Producer<String, String> producer = Producer.create(ProducerConfig.builder()
                        .bootstrapServers(broker.bootstrapServers()).acks(acks).build(), new StringSerializer(),
                        new StringSerializer())) {
                    final List<Thread> threads = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        final int id = t;
                        final Thread thread = new Thread(() -> {
                            for (int i = 0; i < 1000; i++) {
                                producer.send(new ProducerRecord<>("threads", acks + "-" + id + "-" + i));
                            }
                        });
                        thread.start();
                        threads.add(thread);
                    }
                    for (Thread t : threads) {
                        t.join();
                    }
                    producer.flush();
                    assertThat(producer.metrics().recordsSent()).isEqualTo(4000);
                }
            }
            assertThat(view.readAll("threads", 6, 12_000)).hasSize(12_000);
        } finally {
            broker.close();
        }
    }
}

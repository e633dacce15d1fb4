package dev.skiff.client.consumer;

import dev.skiff.broker.Broker;
import dev.skiff.broker.BrokerConfig;
import dev.skiff.client.TopicPartition;
import dev.skiff.client.admin.SkiffAdmin;
import dev.skiff.client.producer.Producer;
import dev.skiff.client.producer.ProducerConfig;
import dev.skiff.client.producer.ProducerRecord;
import dev.skiff.client.serde.ByteArrayDeserializer;
import dev.skiff.client.serde.JsonDeserializer;
import dev.skiff.client.serde.JsonSerializer;
import dev.skiff.client.serde.StringDeserializer;
import dev.skiff.client.serde.StringSerializer;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.record.Header;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The simple consumer against an in-process Skiff broker, with kafka-clients' KafkaProducer as the
 * independent writer: everything written is read back exactly, seeks land where they should, long polls
 * wake on new data, and offsets out of range follow auto.offset.reset.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerIT {
    private static final long BASE_TIME = 1_700_000_000_000L;

    @TempDir
    static Path dir;
    static Broker broker;
    static SkiffAdmin admin;

    @BeforeAll
    static void start() {
        broker = Broker.start(BrokerConfig.builder().logDir(dir).listener("127.0.0.1", 0)
                .set("auto.create.topics.enable", "false").build());
        admin = SkiffAdmin.create(broker.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        admin.close();
        broker.close();
    }

    private static ConsumerConfig.Builder config() {
        return ConsumerConfig.builder().bootstrapServers(broker.bootstrapServers());
    }

    private static SimpleConsumer<String, String> stringConsumer(ConsumerConfig.Builder config) {
        return SimpleConsumer.create(config.build(), new StringDeserializer(), new StringDeserializer());
    }

    private static KafkaProducer<byte[], byte[]> kafkaProducer(String compression) {
        final Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("compression.type", compression);
        p.put("linger.ms", "5");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<TopicPartition> partitions(String topic, int count) {
        final List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tps.add(new TopicPartition(topic, i));
        }
        return tps;
    }

    /** Writes {@code n} string records to partition 0 with timestamps BASE_TIME + i seconds. */
    private static void writeTimed(String topic, int from, int n) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = kafkaProducer("none")) {
            for (int i = from; i < from + n; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, BASE_TIME + i * 1000L,
                        ("k" + i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** Polls until every partition reached its end (kcat -e). */
    private static <K, V> List<ConsumerRecord<K, V>> readToEnd(SimpleConsumer<K, V> consumer,
                                                               List<TopicPartition> tps) {
        final List<ConsumerRecord<K, V>> out = new ArrayList<>();
        while (!tps.stream().allMatch(consumer::reachedEnd)) {
            out.addAll(consumer.poll(Duration.ofMillis(500)));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void readsBackKeysValuesHeadersAndTimestampsOfEveryCompressionType(String compression) throws Exception {
        final String topic = "all-" + compression;
        admin.createTopic(topic, 3, Map.of());
        final int n = 600;
        try (KafkaProducer<byte[], byte[]> producer = kafkaProducer(compression)) {
            for (int i = 0; i < n; i++) {
                final byte[] key = i % 50 == 7 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
                final byte[] value = i % 50 == 9 ? null : ("value-" + i).getBytes(StandardCharsets.UTF_8);
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, i % 3, BASE_TIME + i, key,
                        value, List.of(new RecordHeader("h1", ("hv" + i).getBytes(StandardCharsets.UTF_8)),
                        new RecordHeader("empty", (byte[]) null))));
            }
            producer.flush();
        }
        final List<TopicPartition> tps = partitions(topic, 3);
        try (SimpleConsumer<byte[], byte[]> consumer = SimpleConsumer.create(config().maxPollRecords(77).build(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            assertThat(consumer.partitionsFor(topic)).containsExactly(0, 1, 2);
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            final List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            while (!tps.stream().allMatch(consumer::reachedEnd)) {
                final List<ConsumerRecord<byte[], byte[]>> batch = consumer.poll(Duration.ofMillis(500));
                assertThat(batch.size()).isLessThanOrEqualTo(77);
                read.addAll(batch);
            }
            assertThat(read).hasSize(n);
            final Map<Integer, Long> nextOffset = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : read) {
                assertThat(r.offset()).isEqualTo(nextOffset.getOrDefault(r.partition(), 0L));
                nextOffset.put(r.partition(), r.offset() + 1);
                final int i = (int) (r.timestamp() - BASE_TIME);
                assertThat(r.topic()).isEqualTo(topic);
                assertThat(r.partition()).isEqualTo(i % 3);
                assertThat(r.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
                assertThat(r.key()).isEqualTo(i % 50 == 7 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8));
                assertThat(r.value()).isEqualTo(i % 50 == 9 ? null : ("value-" + i).getBytes(StandardCharsets.UTF_8));
                assertThat(r.serializedKeySize()).isEqualTo(r.key() == null ? -1 : r.key().length);
                assertThat(r.serializedValueSize()).isEqualTo(r.value() == null ? -1 : r.value().length);
                assertThat(r.headers().asList()).containsExactly(
                        new Header("h1", ("hv" + i).getBytes(StandardCharsets.UTF_8)), new Header("empty", null));
            }
            assertThat(consumer.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(n);
        }
    }

    @Test
    void readsWhatTheSkiffProducerWroteAsJson() throws Exception {
        final String topic = "json";
        admin.createTopic(topic, 2, Map.of());
        record Order(String id, int qty) {
        }
        try (Producer<String, Order> producer = Producer.create(ProducerConfig.builder()
                .bootstrapServers(broker.bootstrapServers()).compressionType("zstd").build(), new StringSerializer(),
                new JsonSerializer<>())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "o" + i, new Order("o" + i, i)));
            }
            producer.flush();
        }
        final List<TopicPartition> tps = partitions(topic, 2);
        try (SimpleConsumer<String, Order> consumer = SimpleConsumer.create(
                config().autoOffsetReset("earliest").build(), new StringDeserializer(),
                new JsonDeserializer<>(Order.class))) {
            consumer.assign(tps);
            final List<ConsumerRecord<String, Order>> read = readToEnd(consumer, tps);
            assertThat(read).hasSize(100);
            for (ConsumerRecord<String, Order> r : read) {
                assertThat(r.value().id()).isEqualTo(r.key());
            }
        }
    }

    @Test
    void seekVariantsLandOnTheRightOffsets() throws Exception {
        final String topic = "seeks";
        admin.createTopic(topic, 1, Map.of());
        writeTimed(topic, 0, 100);
        final TopicPartition tp = new TopicPartition(topic, 0);
        try (SimpleConsumer<String, String> consumer = stringConsumer(config())) {
            consumer.assign(List.of(tp));
            assertThat(consumer.beginningOffsets(List.of(tp))).containsEntry(tp, 0L);
            assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 100L);
            assertThat(consumer.position(tp)).isEqualTo(100L);

            consumer.seek(tp, 42);
            assertThat(firstRecord(consumer).offset()).isEqualTo(42);

            consumer.seekToBeginning(List.of(tp));
            assertThat(consumer.position(tp)).isZero();
            assertThat(firstRecord(consumer).value()).isEqualTo("v0");

            consumer.seekToTimestamp(List.of(tp), BASE_TIME + 50_000);
            assertThat(consumer.position(tp)).isEqualTo(50);
            consumer.seekToTimestamp(List.of(tp), BASE_TIME + 49_500);
            assertThat(firstRecord(consumer).offset()).isEqualTo(50);

            consumer.seekToTimestamp(List.of(tp), BASE_TIME + 1_000_000);
            assertThat(consumer.position(tp)).isEqualTo(100);

            consumer.seekToEnd(List.of(tp));
            assertThat(consumer.poll(Duration.ofMillis(200))).isEmpty();
            assertThat(consumer.reachedEnd(tp)).isTrue();
            writeTimed(topic, 100, 1);
            assertThat(firstRecord(consumer).offset()).isEqualTo(100);
        }
    }

    private static ConsumerRecord<String, String> firstRecord(SimpleConsumer<String, String> consumer) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            final List<ConsumerRecord<String, String>> records = consumer.poll(Duration.ofMillis(500));
            if (!records.isEmpty()) {
                return records.get(0);
            }
        }
        throw new AssertionError("no record within 20 s");
    }

    @Test
    void reachedEndTurnsTrueAtTheEndOfFullAndEmptyPartitions() throws Exception {
        final String topic = "ends";
        admin.createTopic(topic, 2, Map.of());
        writeTimed(topic, 0, 10);
        final List<TopicPartition> tps = partitions(topic, 2);
        try (SimpleConsumer<String, String> consumer = stringConsumer(config().autoOffsetReset("earliest"))) {
            consumer.assign(tps);
            assertThat(consumer.reachedEnd(tps.get(0))).isFalse();
            assertThat(readToEnd(consumer, tps)).extracting(ConsumerRecord::value)
                    .containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
            assertThat(consumer.position(tps.get(1))).isZero();
        }
    }

    @Test
    void longPollWakesAsSoonAsNewDataArrives() throws Exception {
        final String topic = "longpoll";
        admin.createTopic(topic, 1, Map.of());
        final TopicPartition tp = new TopicPartition(topic, 0);
        try (SimpleConsumer<String, String> consumer = stringConsumer(config().fetchMaxWaitMs(15_000))) {
            consumer.assign(List.of(tp));
            // Leaves a fetch waiting on the broker: it may hold it for up to 15 s.
            assertThat(consumer.poll(Duration.ofMillis(300))).isEmpty();
            writeTimed(topic, 0, 1);
            final long start = System.nanoTime();
            final List<ConsumerRecord<String, String>> records = consumer.poll(Duration.ofSeconds(30));
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("v0");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        }
    }

    @Test
    void wakeupEndsABlockedPollAndAPendingOneAtOnce() throws Exception {
        final String topic = "wakeup";
        admin.createTopic(topic, 1, Map.of());
        final TopicPartition tp = new TopicPartition(topic, 0);
        try (SimpleConsumer<String, String> consumer = stringConsumer(config())) {
            consumer.assign(List.of(tp));
            consumer.wakeup();
            long start = System.nanoTime();
            assertThat(consumer.poll(Duration.ofSeconds(30))).isEmpty();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);

            final CountDownLatch polling = new CountDownLatch(1);
            final CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> {
                polling.countDown();
                final long t = System.nanoTime();
                consumer.poll(Duration.ofSeconds(30));
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
            });
            assertThat(polling.await(10, TimeUnit.SECONDS)).isTrue();
            consumer.wakeup();
            start = System.nanoTime();
            blocked.get(10, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        }
    }

    @Test
    void offsetOutOfRangeFollowsAutoOffsetReset() throws Exception {
        final String topic = "range";
        admin.createTopic(topic, 1, Map.of());
        writeTimed(topic, 0, 10);
        final TopicPartition tp = new TopicPartition(topic, 0);

        try (SimpleConsumer<String, String> consumer = stringConsumer(config().autoOffsetReset("earliest"))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 100);
            assertThat(firstRecord(consumer).offset()).isZero();
        }
        try (SimpleConsumer<String, String> consumer = stringConsumer(config().autoOffsetReset("latest"))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 100);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (consumer.position(tp) != 10 && System.nanoTime() < deadline) {
                assertThat(consumer.poll(Duration.ofMillis(200))).isEmpty();
            }
            assertThat(consumer.position(tp)).isEqualTo(10);
            assertThat(consumer.reachedEnd(tp)).isTrue();
        }
        try (SimpleConsumer<String, String> consumer = stringConsumer(config().autoOffsetReset("none"))) {
            consumer.assign(List.of(tp));
            assertThatThrownBy(() -> consumer.poll(Duration.ofMillis(200))).isInstanceOf(ConsumerException.class)
                    .hasMessageContaining("range-0 has no position");
            consumer.seek(tp, 100);
            ConsumerException e = null;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (e == null && System.nanoTime() < deadline) {
                e = catchThrowableOfType(ConsumerException.class, () -> consumer.poll(Duration.ofMillis(200)));
            }
            assertThat(e).isNotNull();
            assertThat(e.error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
            assertThat(e).hasMessageContaining("Offset 100 is out of range for partition range-0")
                    .hasMessageContaining("valid offsets are 0 to 9");
        }
    }

    @Test
    void smallFetchLimitsCutBatchesShortAndEverythingStillArrives() throws Exception {
        final String topic = "partial";
        admin.createTopic(topic, 3, Map.of());
        final byte[] big = new byte[700];
        try (KafkaProducer<byte[], byte[]> producer = kafkaProducer("none")) {
            for (int i = 0; i < 90; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, i % 3,
                        String.valueOf(i).getBytes(StandardCharsets.UTF_8), big));
                if (i % 5 == 0) {
                    producer.flush();
                }
            }
            producer.flush();
        }
        final List<TopicPartition> tps = partitions(topic, 3);
        try (SimpleConsumer<String, byte[]> consumer = SimpleConsumer.create(config().autoOffsetReset("earliest")
                .fetchMaxBytes(2500).maxPartitionFetchBytes(1800).build(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(tps);
            assertThat(readToEnd(consumer, tps)).hasSize(90).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
        }
    }

    @Test
    void aBrokerRestartIsRiddenOutAndReadingContinuesWhereItWas(@TempDir Path restartDir) throws Exception {
        Broker own = Broker.start(BrokerConfig.builder().logDir(restartDir).listener("127.0.0.1", 0).build());
        final int port = own.port();
        final TopicPartition tp = new TopicPartition("restart", 0);
        try (SkiffAdmin ownAdmin = SkiffAdmin.create(own.bootstrapServers())) {
            ownAdmin.createTopic("restart", 1, Map.of());
        }
        try (SimpleConsumer<String, String> consumer = SimpleConsumer.create(ConsumerConfig.builder()
                .bootstrapServers(own.bootstrapServers()).autoOffsetReset("earliest").build(),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            write(own, 0, 50);
            final List<ConsumerRecord<String, String>> read = new ArrayList<>();
            while (read.size() < 50) {
                read.addAll(consumer.poll(Duration.ofMillis(500)));
            }
            own.close();
            assertThat(consumer.poll(Duration.ofMillis(300))).isEmpty();
            own = Broker.start(BrokerConfig.builder().logDir(restartDir).listener("127.0.0.1", port).build());
            write(own, 50, 50);
            while (read.size() < 100) {
                read.addAll(consumer.poll(Duration.ofMillis(500)));
            }
            assertThat(read).extracting(ConsumerRecord::offset).containsExactlyElementsOf(
                    java.util.stream.LongStream.range(0, 100).boxed().toList());
        } finally {
            own.close();
        }
    }

    private static void write(Broker target, int from, int n) {
        final Properties p = new Properties();
        p.put("bootstrap.servers", target.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = from; i < from + n; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("restart", 0, null,
                        ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    @Test
    void unknownTopicsAndPartitionsGiveClearErrors() {
        admin.createTopic("single", 1, Map.of());
        try (SimpleConsumer<String, String> consumer = stringConsumer(config())) {
            final ConsumerException e = catchThrowableOfType(ConsumerException.class,
                    () -> consumer.partitionsFor("nope"));
            assertThat(e.error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(e).hasMessageContaining("Topic 'nope' does not exist");

            consumer.assign(List.of(new TopicPartition("nope", 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofMillis(500))).isInstanceOf(ConsumerException.class)
                    .hasMessageContaining("Topic 'nope' does not exist");

            consumer.assign(List.of(new TopicPartition("single", 7)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofMillis(500))).isInstanceOf(ConsumerException.class)
                    .hasMessageContaining("Partition 7 of topic 'single' does not exist: the topic has 1 partitions");
            assertThatThrownBy(() -> consumer.position(new TopicPartition("single", 0)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not assigned");
        }
    }

    @Test
    void unreachableBootstrapFailsPollWithinSecondsNamingTheAddress() throws Exception {
        final int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        final long start = System.nanoTime();
        try (SimpleConsumer<String, String> consumer = stringConsumer(ConsumerConfig.builder()
                .bootstrapServers("127.0.0.1:" + port))) {
            consumer.assign(List.of(new TopicPartition("t", 0)));
            ConsumerException e = null;
            while (e == null && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15)) {
                e = catchThrowableOfType(ConsumerException.class, () -> consumer.poll(Duration.ofMillis(100)));
            }
            assertThat(e).isNotNull();
            assertThat(e.error()).isEqualTo(Errors.NETWORK_EXCEPTION);
            assertThat(e).hasMessageContaining("bootstrap.servers=127.0.0.1:" + port);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(8_000);
    }

    @Test
    void aFailingDeserializerStopsAtTheBadRecordAndSeekSkipsIt() throws Exception {
        final String topic = "baddeser";
        admin.createTopic(topic, 1, Map.of());
        writeTimed(topic, 0, 5);
        final TopicPartition tp = new TopicPartition(topic, 0);
        final Deserializer<String> picky = (t, h, data) -> {
            final String s = new String(data, StandardCharsets.UTF_8);
            if (s.equals("v2")) {
                throw new IllegalArgumentException("no v2 please");
            }
            return s;
        };
        try (SimpleConsumer<String, String> consumer = SimpleConsumer.create(config().autoOffsetReset("earliest")
                .build(), new StringDeserializer(), picky)) {
            consumer.assign(List.of(tp));
            final List<ConsumerRecord<String, String>> before = new ArrayList<>();
            while (before.size() < 2) {
                before.addAll(consumer.poll(Duration.ofSeconds(5)));
            }
            assertThat(before).extracting(ConsumerRecord::offset).containsExactly(0L, 1L);
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5))).isInstanceOf(ConsumerException.class)
                    .hasMessageContaining("offset 2 of baddeser-0").hasMessageContaining("no v2 please");
            assertThat(consumer.position(tp)).isEqualTo(2);
            consumer.seek(tp, 3);
            assertThat(firstRecord(consumer).value()).isEqualTo("v3");
        }
    }
}

package dev.skiff.it;

import static dev.skiff.it.Brokers.CALL_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.Broker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Records go in through kafka-clients' {@link KafkaProducer} and come back out through its
 * {@link KafkaConsumer} unchanged: keys, values, headers, timestamps, partition and offset.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProduceConsumeIT {
    private static final int PARTITIONS = 6;
    private static final int RECORDS = 1_200;
    private static final long BASE_TIMESTAMP = 1_700_000_000_000L;

    @TempDir
    Path dataDir;

    private Broker broker;
    private Admin admin;

    @BeforeEach
    void startBroker() {
        broker = Brokers.start(dataDir);
        admin = Brokers.admin(broker);
    }

    @AfterEach
    void stopBroker() {
        Brokers.closeAll(admin, broker);
    }

    /** One record as sent, with its expected content, independent of client classes. */
    private record Sent(int index, String key, String value, long timestamp, List<Header> headers) {
    }

    /**
     * A deterministic mix of the shapes records take: null keys, null values, no headers, duplicate header
     * keys, null header values, explicit partitions, and values long enough for compression to matter.
     */
    private static ProducerRecord<String, String> record(String topic, int i, boolean explicitPartition) {
        final String key = i % 7 == 0 ? null : "key-" + i;
        final String value = i % 11 == 0 ? null : "value-" + i + "-" + "abcdefgh".repeat(i % 20);
        final List<Header> headers = new ArrayList<>();
        if (i % 3 == 0) {
            headers.add(new RecordHeader("dup", "one".getBytes(StandardCharsets.UTF_8)));
            headers.add(new RecordHeader("dup", "two".getBytes(StandardCharsets.UTF_8)));
            headers.add(new RecordHeader("nothing", null));
        } else if (i % 3 == 1) {
            headers.add(new RecordHeader("trace", ("t-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        final Integer partition = explicitPartition || i % 5 == 0 ? i % PARTITIONS : null;
        return new ProducerRecord<>(topic, partition, BASE_TIMESTAMP + i, key, value, headers);
    }

    private static Sent sent(int i, ProducerRecord<String, String> record) {
        return new Sent(i, record.key(), record.value(), record.timestamp(), List.of(record.headers().toArray()));
    }

    /** Header list as (key, value) strings, so AssertJ compares content rather than header object identity. */
    private static List<String> describeHeaders(Iterable<Header> headers) {
        final List<String> out = new ArrayList<>();
        for (Header h : headers) {
            out.add(h.key() + "=" + (h.value() == null ? "<null>" : new String(h.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static void assertSameRecord(ConsumerRecord<String, String> got, Sent expected) {
        assertThat(got.key()).as("key of record %d", expected.index()).isEqualTo(expected.key());
        assertThat(got.value()).as("value of record %d", expected.index()).isEqualTo(expected.value());
        assertThat(got.timestamp()).as("timestamp of record %d", expected.index()).isEqualTo(expected.timestamp());
        assertThat(got.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(describeHeaders(got.headers())).as("headers of record %d", expected.index())
                .isEqualTo(describeHeaders(expected.headers()));
    }

    /** Sends {@link #RECORDS} records and returns them keyed by the (partition, offset) the broker acknowledged. */
    private Map<TopicPartition, TreeMap<Long, Sent>> produceAcknowledged(String topic, Map<String, Object> config)
            throws Exception {
        final List<Future<RecordMetadata>> futures = new ArrayList<>();
        final List<Sent> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Brokers.producer(broker, config)) {
            for (int i = 0; i < RECORDS; i++) {
                final ProducerRecord<String, String> record = record(topic, i, false);
                sent.add(sent(i, record));
                futures.add(producer.send(record));
            }
            producer.flush();
        }
        final Map<TopicPartition, TreeMap<Long, Sent>> byOffset = new HashMap<>();
        for (int i = 0; i < RECORDS; i++) {
            final RecordMetadata meta = futures.get(i).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(meta.offset()).as("offset of record %d", i).isGreaterThanOrEqualTo(0);
            final Sent previous = byOffset.computeIfAbsent(new TopicPartition(topic, meta.partition()),
                    tp -> new TreeMap<>()).put(meta.offset(), sent.get(i));
            assertThat(previous).as("two records acknowledged at %s-%d", topic, meta.offset()).isNull();
        }
        return byOffset;
    }

    /** Reads the whole topic back and checks it record by record against what the producer was told. */
    private void assertTopicHoldsExactly(String topic, Map<TopicPartition, TreeMap<Long, Sent>> expected) {
        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
            final List<ConsumerRecord<String, String>> records =
                    Brokers.readAll(consumer, Brokers.partitions(topic, PARTITIONS), Duration.ofSeconds(60));
            assertThat(records).hasSize(RECORDS);
            final Map<Integer, Long> nextOffset = new HashMap<>();
            for (ConsumerRecord<String, String> got : records) {
                final long expectedOffset = nextOffset.getOrDefault(got.partition(), 0L);
                assertThat(got.offset()).as("offsets of partition %d are contiguous", got.partition())
                        .isEqualTo(expectedOffset);
                nextOffset.put(got.partition(), expectedOffset + 1);
                final Sent sent = expected.getOrDefault(new TopicPartition(topic, got.partition()), new TreeMap<>())
                        .get(got.offset());
                assertThat(sent).as("record at %s-%d was acknowledged there", topic, got.offset()).isNotNull();
                assertSameRecord(got, sent);
            }
        }
    }

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void idempotentProducerRecordsReadBackIdenticallyWithEveryCompression(String compression) throws Exception {
        final String topic = "compressed-" + compression;
        Brokers.createTopic(admin, topic, PARTITIONS);

        final Map<TopicPartition, TreeMap<Long, Sent>> acknowledged = produceAcknowledged(topic,
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression));

        assertThat(acknowledged.keySet()).as("records spread over every partition").hasSize(PARTITIONS);
        assertTopicHoldsExactly(topic, acknowledged);
    }

    @ParameterizedTest(name = "acks={0}")
    @ValueSource(strings = {"1", "all"})
    void acknowledgedRecordsReadBackIdentically(String acks) throws Exception {
        final String topic = "acks-" + acks;
        Brokers.createTopic(admin, topic, PARTITIONS);

        final Map<TopicPartition, TreeMap<Long, Sent>> acknowledged = produceAcknowledged(topic,
                Map.of(ProducerConfig.ACKS_CONFIG, acks, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false));

        assertTopicHoldsExactly(topic, acknowledged);
    }

    @Test
    void acksZeroRecordsArriveInOrderPerPartition() throws Exception {
        final String topic = "acks-0";
        // Skiff creates topics synchronously, so nothing is lost even right after creation. (Apache Kafka
        // may still answer NOT_LEADER_OR_FOLLOWER for a moment, which acks=0 turns into lost records.)
        Brokers.createTopic(admin, topic, PARTITIONS);
        final Map<Integer, List<Sent>> sentPerPartition = new HashMap<>();

        try (KafkaProducer<String, String> producer = Brokers.producer(broker,
                Map.of(ProducerConfig.ACKS_CONFIG, "0", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
            for (int i = 0; i < RECORDS; i++) {
                final ProducerRecord<String, String> record = record(topic, i, true);
                sentPerPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(sent(i, record));
                producer.send(record);
            }
            producer.flush();
        }

        final List<TopicPartition> partitions = Brokers.partitions(topic, PARTITIONS);
        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
            // acks=0 gives no acknowledgement to wait for: wait until the log end offsets account for every record.
            Brokers.await(Duration.ofSeconds(30), "all " + RECORDS + " acks=0 records to be appended", () ->
                    consumer.endOffsets(partitions, CALL_TIMEOUT).values().stream().mapToLong(Long::longValue).sum()
                            == RECORDS);
            final List<ConsumerRecord<String, String>> records =
                    Brokers.readAll(consumer, partitions, Duration.ofSeconds(60));
            final Map<Integer, List<ConsumerRecord<String, String>>> gotPerPartition = new HashMap<>();
            records.forEach(r -> gotPerPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r));
            for (Map.Entry<Integer, List<Sent>> e : sentPerPartition.entrySet()) {
                final List<ConsumerRecord<String, String>> got = gotPerPartition.get(e.getKey());
                assertThat(got).as("partition %d", e.getKey()).hasSameSizeAs(e.getValue());
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i).offset()).isEqualTo(i);
                    assertSameRecord(got.get(i), e.getValue().get(i));
                }
            }
        }
    }

    @Test
    void listOffsetsFindsEarliestLatestAndOffsetsForTimes() throws Exception {
        final String topic = "timed";
        Brokers.createTopic(admin, topic, 1);
        final TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = Brokers.producer(broker, Map.of())) {
            // Several records per batch, so a timestamp lookup must land inside a batch, not only at its start.
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, BASE_TIMESTAMP + i * 1_000L, "k" + i, "v" + i));
            }
            producer.flush();
        }

        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
            assertThat(consumer.beginningOffsets(List.of(tp), CALL_TIMEOUT)).containsEntry(tp, 0L);
            assertThat(consumer.endOffsets(List.of(tp), CALL_TIMEOUT)).containsEntry(tp, 10L);

            final OffsetAndTimestamp exact =
                    consumer.offsetsForTimes(Map.of(tp, BASE_TIMESTAMP + 3_000L), CALL_TIMEOUT).get(tp);
            assertThat(exact.offset()).isEqualTo(3);
            assertThat(exact.timestamp()).isEqualTo(BASE_TIMESTAMP + 3_000L);
            final OffsetAndTimestamp between =
                    consumer.offsetsForTimes(Map.of(tp, BASE_TIMESTAMP + 5_500L), CALL_TIMEOUT).get(tp);
            assertThat(between.offset()).isEqualTo(6);
            assertThat(between.timestamp()).isEqualTo(BASE_TIMESTAMP + 6_000L);
            final OffsetAndTimestamp before = consumer.offsetsForTimes(Map.of(tp, 0L), CALL_TIMEOUT).get(tp);
            assertThat(before.offset()).isZero();
            final Map<TopicPartition, OffsetAndTimestamp> after =
                    consumer.offsetsForTimes(Map.of(tp, BASE_TIMESTAMP + 60_000L), CALL_TIMEOUT);
            assertThat(after.get(tp)).as("no record at or after the timestamp").isNull();
        }

        final ListOffsetsResult.ListOffsetsResultInfo max = admin.listOffsets(Map.of(tp, OffsetSpec.maxTimestamp()))
                .partitionResult(tp).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(max.offset()).isEqualTo(9);
        assertThat(max.timestamp()).isEqualTo(BASE_TIMESTAMP + 9_000L);
        assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp)
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset()).isEqualTo(10);
        assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp)
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset()).isZero();
    }

    @Test
    void consumerWithFetchSizeBelowOneBatchStillReadsEverything() throws Exception {
        final String topic = "tiny-fetch";
        Brokers.createTopic(admin, topic, 1);
        final String big = "b".repeat(4_000);
        try (KafkaProducer<String, String> producer = Brokers.producer(broker, Map.of())) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, i + big));
            }
            producer.flush();
        }

        // KIP-74: the first batch is returned even when it exceeds the fetch limits, or a consumer would stall.
        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 100,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 100))) {
            final List<ConsumerRecord<String, String>> records =
                    Brokers.readAll(consumer, List.of(new TopicPartition(topic, 0)), Duration.ofSeconds(60));
            assertThat(records).hasSize(50);
            for (int i = 0; i < 50; i++) {
                assertThat(records.get(i).offset()).isEqualTo(i);
                assertThat(records.get(i).value()).isEqualTo(i + big);
            }
        }
    }

    @Test
    void consumerStartingInsideABatchGetsOnlyLaterRecords() throws Exception {
        final String topic = "mid-batch";
        Brokers.createTopic(admin, topic, 1);
        final TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = Brokers.producer(broker,
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 1_000, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"))) {
            // One linger window, so the ten records share one compressed batch.
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i));
            }
            producer.flush();
        }

        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 6);
            final List<ConsumerRecord<String, String>> records = new ArrayList<>();
            Brokers.await(Duration.ofSeconds(30), "records 6 to 9", () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= 4;
            });
            assertThat(records).extracting(ConsumerRecord::offset).containsExactly(6L, 7L, 8L, 9L);
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("v6", "v7", "v8", "v9");
        }
    }

    @Test
    void longPollReturnsRecordProducedWhileWaiting() throws Exception {
        final String topic = "long-poll";
        Brokers.createTopic(admin, topic, 1);
        final TopicPartition tp = new TopicPartition(topic, 0);
        final int maxWaitMs = 20_000;

        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of(
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, maxWaitMs,
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, maxWaitMs + 15_000));
             KafkaProducer<String, String> producer = Brokers.producer(broker, Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            assertThat(consumer.position(tp, CALL_TIMEOUT)).isZero();
            // The producer must send while the consumer's fetch is parked on the broker: this delay is the
            // behaviour under test, not a wait for a condition.
            final CompletableFuture<RecordMetadata> late = CompletableFuture.supplyAsync(() -> {
                try {
                    TimeUnit.MILLISECONDS.sleep(1_500);
                    return producer.send(new ProducerRecord<>(topic, 0, "late-key", "late-value"))
                            .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            final long start = System.nanoTime();
            final ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(maxWaitMs * 2L));
            final long elapsedMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(records.count()).isEqualTo(1);
            final ConsumerRecord<String, String> record = records.iterator().next();
            assertThat(record.key()).isEqualTo("late-key");
            assertThat(record.value()).isEqualTo("late-value");
            assertThat(record.offset()).isEqualTo(late.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset());
            assertThat(elapsedMs).as("the parked fetch completed on the append, before fetch.max.wait.ms")
                    .isLessThan(maxWaitMs);
        }
    }
}

package dev.skiff.it;

import static dev.skiff.it.Brokers.CALL_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.Broker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental fetch sessions (KIP-227) as kafka-clients' {@link KafkaConsumer} uses them: the consumer
 * creates a session with its first full Fetch, then sends only what changed. The checks are that every record
 * still arrives exactly once and in order, that the client's {@code FetchSessionHandler} finds nothing to
 * complain about (it logs "invalid ... fetch response" and drops the answer when a response does not match
 * its session), and that sessions are really in use.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FetchSessionIT {
    private static final String LEFT = "left";
    private static final String RIGHT = "right";
    private static final int PARTITIONS_PER_TOPIC = 3;
    private static final int RECORDS_PER_WAVE = 40;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** A Fetch version that names topics by id (v13+). */
    private static final short FETCH_WITH_IDS = 17;

    @TempDir
    Path dataDir;

    private Broker broker;
    private Admin admin;

    @BeforeEach
    void startBroker() throws Exception {
        broker = Brokers.start(dataDir);
        admin = Brokers.admin(broker);
        Brokers.createTopic(admin, LEFT, PARTITIONS_PER_TOPIC);
        Brokers.createTopic(admin, RIGHT, PARTITIONS_PER_TOPIC);
    }

    @AfterEach
    void stopBroker() {
        Brokers.closeAll(admin, broker);
    }

    @Test
    void consumerReadsEveryRecordOnceInOrderWhileItsAssignmentShrinksAndGrows() throws Exception {
        final List<TopicPartition> left = Brokers.partitions(LEFT, PARTITIONS_PER_TOPIC);
        final List<TopicPartition> right = Brokers.partitions(RIGHT, PARTITIONS_PER_TOPIC);
        final List<TopicPartition> all = new ArrayList<>(left);
        all.addAll(right);
        final Map<TopicPartition, List<String>> produced = new HashMap<>();
        final Map<TopicPartition, List<String>> consumed = new HashMap<>();
        try (FetchSessionLog log = FetchSessionLog.capture()) {
            consumeWhileAssignmentChanges(left, right, all, produced, consumed, log);
            // Checked after close(): the consumer closes its session then, while a fetch may still be in flight.
            assertThat(log.containing("invalid")).as("FetchSessionHandler complaints").isEmpty();
        }
    }

    private void consumeWhileAssignmentChanges(List<TopicPartition> left, List<TopicPartition> right,
                                               List<TopicPartition> all, Map<TopicPartition, List<String>> produced,
                                               Map<TopicPartition, List<String>> consumed, FetchSessionLog log)
            throws Exception {
        try (KafkaProducer<String, String> producer = Brokers.producer(broker, Map.of());
             KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
            consumer.assign(all);
            consumer.seekToBeginning(all);

            produceWave(producer, all, 1, produced);
            readUntil(consumer, produced, consumed);

            // Drop a whole topic: the next full or incremental request no longer names RIGHT's topic id.
            final Map<TopicPartition, Long> rightPositions = new HashMap<>();
            for (TopicPartition tp : right) {
                rightPositions.put(tp, consumer.position(tp, CALL_TIMEOUT));
            }
            consumer.assign(left);
            produceWave(producer, left, 2, produced);
            readUntil(consumer, onlyOf(produced, left), consumed);
            produceWave(producer, right, 2, produced);

            // And take it back, from where it stopped, so every record is still read exactly once.
            consumer.assign(all);
            rightPositions.forEach(consumer::seek);
            produceWave(producer, all, 3, produced);
            readUntil(consumer, produced, consumed);

            for (TopicPartition tp : all) {
                assertThat(consumed.get(tp)).as("records of %s, in order, each once", tp)
                        .containsExactlyElementsOf(produced.get(tp));
            }
            assertThat(log.containing("invalid")).as("FetchSessionHandler complaints").isEmpty();
            assertThat(log.containing("created a new incremental fetch session"))
                    .as("the broker created incremental fetch sessions").isNotEmpty();
            assertThat(log.containing("sent an incremental fetch response"))
                    .as("the consumer used incremental fetches").isNotEmpty();
        }
    }

    @Test
    void incrementalFetchOnUnknownSessionIsRefused() throws Exception {
        try (RawKafkaConnection conn = raw()) {
            final FetchResponseData response = conn.roundTrip(
                    sessionFetch(12345, 1, List.of()), FETCH_WITH_IDS);
            assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
            assertThat(response.sessionId()).isZero();
            assertThat(response.responses()).isEmpty();
        }
    }

    @Test
    void incrementalFetchWithWrongEpochIsRefusedAndTheSessionSurvives() throws Exception {
        final Uuid leftId = topicId(LEFT);
        try (RawKafkaConnection conn = raw()) {
            final FetchResponseData created = conn.roundTrip(
                    sessionFetch(0, 0, List.of(partition(leftId, 0, 0), partition(leftId, 1, 0))), FETCH_WITH_IDS);
            assertThat(Errors.forCode(created.errorCode())).isEqualTo(Errors.NONE);
            assertThat(created.sessionId()).isNotZero();
            assertThat(partitionsOf(created)).containsExactly(0, 1);

            final FetchResponseData wrong = conn.roundTrip(sessionFetch(created.sessionId(), 2, List.of()),
                    FETCH_WITH_IDS);
            assertThat(Errors.forCode(wrong.errorCode())).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
            assertThat(wrong.responses()).isEmpty();

            // Epoch 1 is still the expected one; nothing changed, so the answer names no partition.
            final FetchResponseData next = conn.roundTrip(sessionFetch(created.sessionId(), 1, List.of()),
                    FETCH_WITH_IDS);
            assertThat(Errors.forCode(next.errorCode())).isEqualTo(Errors.NONE);
            assertThat(next.sessionId()).isEqualTo(created.sessionId());
            assertThat(next.responses()).isEmpty();
        }
    }

    @Test
    void incrementalResponseCarriesOnlyChangedPartitionsAndForgottenOnesStayOut() throws Exception {
        final Uuid leftId = topicId(LEFT);
        try (RawKafkaConnection conn = raw();
             KafkaProducer<String, String> producer = Brokers.producer(broker, Map.of())) {
            final FetchResponseData created = conn.roundTrip(sessionFetch(0, 0,
                    List.of(partition(leftId, 0, 0), partition(leftId, 1, 0), partition(leftId, 2, 0))),
                    FETCH_WITH_IDS);
            final int session = created.sessionId();
            assertThat(partitionsOf(created)).containsExactly(0, 1, 2);

            producer.send(new ProducerRecord<>(LEFT, 1, null, "one")).get(CALL_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
            final FetchResponseData changed = conn.roundTrip(sessionFetch(session, 1, List.of()), FETCH_WITH_IDS);
            assertThat(partitionsOf(changed)).containsExactly(1);
            assertThat(RawRequests.values(changed.responses().get(0).partitions().get(0))).containsExactly("one");

            // Forget partition 2, move partition 1 past its record: a record on 2 is no longer reported.
            final FetchRequestData forget = sessionFetch(session, 2, List.of(partition(leftId, 1, 1)));
            forget.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopicId(leftId)
                    .setPartitions(new ArrayList<>(List.of(2))));
            producer.send(new ProducerRecord<>(LEFT, 2, null, "two")).get(CALL_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
            final FetchResponseData afterForget = conn.roundTrip(forget, FETCH_WITH_IDS);
            assertThat(Errors.forCode(afterForget.errorCode())).isEqualTo(Errors.NONE);
            assertThat(partitionsOf(afterForget)).isEmpty();
        }
    }

    @Test
    void deletedTopicInSessionIsReportedPerPartition() throws Exception {
        final Uuid rightId = topicId(RIGHT);
        try (RawKafkaConnection conn = raw()) {
            final FetchResponseData created = conn.roundTrip(sessionFetch(0, 0,
                    List.of(partition(rightId, 0, 0))), FETCH_WITH_IDS);
            admin.deleteTopics(List.of(RIGHT)).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            final FetchResponseData after = conn.roundTrip(sessionFetch(created.sessionId(), 1, List.of()),
                    FETCH_WITH_IDS);
            assertThat(Errors.forCode(after.errorCode())).isEqualTo(Errors.NONE);
            assertThat(partitionsOf(after)).containsExactly(0);
            assertThat(Errors.forCode(after.responses().get(0).partitions().get(0).errorCode()))
                    .isEqualTo(Errors.UNKNOWN_TOPIC_ID);
        }
    }

    private RawKafkaConnection raw() throws Exception {
        final String[] hostPort = broker.bootstrapServers().split(":");
        return RawKafkaConnection.open(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    private Uuid topicId(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(CALL_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS).get(topic).topicId();
    }

    private static FetchRequestData.FetchTopic partition(Uuid topicId, int partition, long offset) {
        final FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopicId(topicId);
        topic.partitions().add(new FetchRequestData.FetchPartition()
                .setPartition(partition)
                .setCurrentLeaderEpoch(-1)
                .setFetchOffset(offset)
                .setLastFetchedEpoch(-1)
                .setLogStartOffset(-1)
                .setPartitionMaxBytes(1024 * 1024));
        return topic;
    }

    /** A consumer Fetch carrying session fields; answers at once (max wait 0). */
    private static FetchRequestData sessionFetch(int sessionId, int epoch, List<FetchRequestData.FetchTopic> topics) {
        return new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(0)
                .setMinBytes(1)
                .setMaxBytes(1024 * 1024)
                .setIsolationLevel((byte) 0)
                .setSessionId(sessionId)
                .setSessionEpoch(epoch)
                .setTopics(new ArrayList<>(topics))
                .setRackId("");
    }

    private static List<Integer> partitionsOf(FetchResponseData response) {
        final List<Integer> out = new ArrayList<>();
        for (FetchResponseData.FetchableTopicResponse t : response.responses()) {
            for (FetchResponseData.PartitionData p : t.partitions()) {
                out.add(p.partitionIndex());
            }
        }
        return out;
    }

    private static void produceWave(KafkaProducer<String, String> producer, List<TopicPartition> partitions,
                                    int wave, Map<TopicPartition, List<String>> produced) throws Exception {
        final List<Future<?>> acks = new ArrayList<>();
        for (int i = 0; i < RECORDS_PER_WAVE; i++) {
            for (TopicPartition tp : partitions) {
                final String value = tp + "/w" + wave + "/" + i;
                produced.computeIfAbsent(tp, k -> new ArrayList<>()).add(value);
                acks.add(producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, value)));
            }
        }
        producer.flush();
        for (Future<?> ack : acks) {
            ack.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static Map<TopicPartition, List<String>> onlyOf(Map<TopicPartition, List<String>> produced,
                                                            List<TopicPartition> partitions) {
        final Map<TopicPartition, List<String>> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            out.put(tp, produced.get(tp));
        }
        return out;
    }

    /** Polls until each partition of {@code expected} has at least as many records as expected. */
    private static void readUntil(KafkaConsumer<String, String> consumer, Map<TopicPartition, List<String>> expected,
                                  Map<TopicPartition, List<String>> consumed) {
        final long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (!caughtUp(expected, consumed)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out reading; consumed " + counts(consumed) + " of "
                        + counts(expected));
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                consumed.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                        .add(r.value());
            }
        }
    }

    private static boolean caughtUp(Map<TopicPartition, List<String>> expected,
                                    Map<TopicPartition, List<String>> consumed) {
        for (Map.Entry<TopicPartition, List<String>> e : expected.entrySet()) {
            if (consumed.getOrDefault(e.getKey(), List.of()).size() < e.getValue().size()) {
                return false;
            }
        }
        return true;
    }

    private static Map<TopicPartition, Integer> counts(Map<TopicPartition, List<String>> records) {
        final Map<TopicPartition, Integer> out = new HashMap<>();
        records.forEach((tp, list) -> out.put(tp, list.size()));
        return out;
    }
}

package dev.skiff.it;

import static dev.skiff.it.Brokers.CALL_TIMEOUT;
import static dev.skiff.it.RawRequests.fetchRequest;
import static dev.skiff.it.RawRequests.metadataRequest;
import static dev.skiff.it.RawRequests.produceRequest;
import static dev.skiff.it.RawRequests.validBatch;
import static dev.skiff.it.RawRequests.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.broker.Broker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a client should never send, sent on purpose over a raw socket: each case checks the broker's
 * answer (an error code, or a closed connection), that another connection opened before the bad one
 * keeps getting correct answers, and that the stored records are untouched.
 *
 * <p>Requests are encoded with kafka-clients' own message classes; responses are decoded with them too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputIT {
    private static final String TOPIC = "stable";
    private static final int STORED_RECORDS = 10;
    private static final int MESSAGE_MAX_BYTES = 1024;
    private static final int SOCKET_REQUEST_MAX_BYTES = 100 * 1024;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final short METADATA_VERSION = 12;
    private static final short PRODUCE_VERSION = 11;
    private static final short FETCH_VERSION = 12;
    private static final short CREATE_TOPICS_VERSION = 7;

    @TempDir
    Path dataDir;

    private Broker broker;
    /** Opened before every bad request and used after it: it must not notice anything. */
    private RawKafkaConnection bystander;
    /** The connection each test misbehaves on. */
    private RawKafkaConnection victim;

    @BeforeEach
    void startBrokerWithStoredRecords() throws Exception {
        broker = Brokers.start(dataDir,
                "message.max.bytes", Integer.toString(MESSAGE_MAX_BYTES),
                "socket.request.max.bytes", Integer.toString(SOCKET_REQUEST_MAX_BYTES),
                "auto.create.topics.enable", "false");
        try (Admin admin = Brokers.admin(broker)) {
            Brokers.createTopic(admin, TOPIC, 2);
        }
        try (KafkaProducer<String, String> producer = Brokers.producer(broker, Map.of())) {
            for (int i = 0; i < STORED_RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "stored-" + i))
                        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        bystander = RawKafkaConnection.open("127.0.0.1", broker.port());
        assertMetadataIsCorrect(bystander);
        victim = RawKafkaConnection.open("127.0.0.1", broker.port());
    }

    @AfterEach
    void stopBroker() {
        Brokers.closeAll(victim, bystander, broker);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private void assertMetadataIsCorrect(RawKafkaConnection connection) throws Exception {
        final MetadataResponseData response = connection.roundTrip(metadataRequest(TOPIC), METADATA_VERSION);
        assertThat(response.brokers()).singleElement().satisfies(b -> {
            assertThat(b.nodeId()).isEqualTo(1);
            assertThat(b.port()).isEqualTo(broker.port());
        });
        final MetadataResponseData.MetadataResponseTopic topic = response.topics().find(TOPIC);
        assertThat(topic.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(topic.partitions()).hasSize(2);
        assertThat(topic.partitions()).allSatisfy(p -> {
            assertThat(p.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(p.leaderId()).isEqualTo(1);
        });
    }

    private static FetchResponseData.PartitionData fetch(RawKafkaConnection connection, String topic, int partition,
                                                         long offset) throws Exception {
        final FetchResponseData response = connection.roundTrip(fetchRequest(topic, partition, offset, 100),
                FETCH_VERSION);
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.responses()).hasSize(1);
        assertThat(response.responses().get(0).partitions()).hasSize(1);
        return response.responses().get(0).partitions().get(0);
    }

    /** The stored records of partition 0, read through the bystander: exactly what the setup wrote. */
    private void assertStoredRecordsIntact() throws Exception {
        final FetchResponseData.PartitionData partition = fetch(bystander, TOPIC, 0, 0);
        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partition.highWatermark()).isEqualTo(STORED_RECORDS);
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < STORED_RECORDS; i++) {
            expected.add("stored-" + i);
        }
        assertThat(values(partition)).containsExactlyElementsOf(expected);
    }

    /** The broker as a whole is fine: the bystander, a brand-new connection, and the stored data. */
    private void assertBrokerUnharmed() throws Exception {
        assertMetadataIsCorrect(bystander);
        try (RawKafkaConnection fresh = RawKafkaConnection.open("127.0.0.1", broker.port())) {
            assertMetadataIsCorrect(fresh);
        }
        assertStoredRecordsIntact();
    }

    private void assertVictimClosed() throws Exception {
        assertThat(victim.awaitClosedByPeer(CLOSE_TIMEOUT)).as("the broker closed the offending connection").isTrue();
    }

    private ProduceResponseData.PartitionProduceResponse produce(String topic, int partition, ByteBuffer batch)
            throws Exception {
        final ProduceResponseData response = victim.roundTrip(produceRequest(topic, partition, (short) -1, batch),
                PRODUCE_VERSION);
        assertThat(response.responses()).hasSize(1);
        final ProduceResponseData.TopicProduceResponse topicResponse = response.responses().iterator().next();
        assertThat(topicResponse.partitionResponses()).hasSize(1);
        return topicResponse.partitionResponses().get(0);
    }

    // ---- frames the broker must refuse by closing the connection --------------------------------------

    @Test
    void frameOverSocketRequestMaxBytesClosesOnlyThatConnection() throws Exception {
        final byte[] start = ByteBuffer.allocate(4 + 64).putInt(SOCKET_REQUEST_MAX_BYTES + 1).array();

        victim.writeRaw(start);

        assertVictimClosed();
        assertBrokerUnharmed();
    }

    @Test
    void negativeFrameSizeClosesConnection() throws Exception {
        victim.writeRaw(ByteBuffer.allocate(4 + 16).putInt(-7).array());

        assertVictimClosed();
        assertBrokerUnharmed();
    }

    @Test
    void httpRequestInsteadOfKafkaClosesConnection() throws Exception {
        victim.writeRaw("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertVictimClosed();
        assertBrokerUnharmed();
    }

    @Test
    void garbageBodyAfterValidHeaderClosesConnection() throws Exception {
        final byte[] header = RawKafkaConnection.header(ApiKeys.METADATA.id, METADATA_VERSION,
                ApiKeys.METADATA.requestHeaderVersion(METADATA_VERSION), victim.nextCorrelationId());
        final byte[] garbage = new byte[40];
        Arrays.fill(garbage, (byte) 0xFF);

        victim.writeRaw(RawKafkaConnection.frame(header, garbage));

        assertVictimClosed();
        assertBrokerUnharmed();
    }

    @Test
    void frameShorterThanRequestHeaderClosesConnection() throws Exception {
        // api key, api version and half a correlation id
        victim.writeRaw(RawKafkaConnection.frame(new byte[] {0, 3, 0, 12, 0, 0}));

        assertVictimClosed();
        assertBrokerUnharmed();
    }

    @Test
    void frameShorterThanItsProduceBodyClosesConnectionAndAppendsNothing() throws Exception {
        final ByteBuffer full = RawKafkaConnection.encode(
                produceRequest(TOPIC, 0, (short) -1, validBatch("never-stored")), PRODUCE_VERSION, 1);
        final byte[] content = new byte[full.remaining() - 4];
        full.position(4);
        full.get(content);
        // A complete frame whose content stops in the middle of the record batch.
        final byte[] truncated = Arrays.copyOf(content, content.length - 30);

        victim.writeRaw(RawKafkaConnection.frame(truncated));

        assertVictimClosed();
        assertBrokerUnharmed();
    }

    @Test
    void unknownApiKeyClosesConnection() throws Exception {
        final byte[] header = RawKafkaConnection.header((short) 999, (short) 0, (short) 1, victim.nextCorrelationId());

        victim.writeRaw(RawKafkaConnection.frame(header, new byte[] {0, 0, 0, 0}));

        assertVictimClosed();
        assertBrokerUnharmed();
    }

    @Test
    void metadataVersionTooNewClosesConnection() throws Exception {
        victim.writeFully(RawKafkaConnection.encode(metadataRequest(TOPIC), (short) 127, METADATA_VERSION, 1));

        assertVictimClosed();
        assertBrokerUnharmed();
    }

    // ---- requests the broker must answer with an error ------------------------------------------------

    @Test
    void apiVersionsTooNewGetsV0AnswerWithUnsupportedVersionAndTheApiList() throws Exception {
        final ApiVersionsRequestData request = new ApiVersionsRequestData()
                .setClientSoftwareName("skiff-it").setClientSoftwareVersion("1.0");
        final int correlationId = victim.nextCorrelationId();
        victim.writeFully(RawKafkaConnection.encode(request, (short) 127, (short) 3, correlationId));

        // KIP-511: the answer is ApiVersions v0 (header v0) whatever version was asked for.
        final ApiVersionsResponseData response =
                victim.receive(correlationId, new ApiVersionsResponseData(), (short) 0, (short) 0);

        assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        // What a client needs to retry is the ApiVersions range; Kafka lists only that entry, Skiff lists
        // every API it serves. Either way the entries must be sane.
        final ApiVersionsResponseData.ApiVersion apiVersions = response.apiKeys().find(ApiKeys.API_VERSIONS.id);
        assertThat(apiVersions).as("ApiVersions is listed").isNotNull();
        assertThat(apiVersions.minVersion()).isZero();
        assertThat(apiVersions.maxVersion()).isGreaterThanOrEqualTo((short) 3);
        assertThat(response.apiKeys()).allSatisfy(v -> assertThat(v.minVersion()).isLessThanOrEqualTo(v.maxVersion()));

        // The connection stays usable: the client retries with a version the broker knows.
        final ApiVersionsResponseData retry = victim.roundTrip(request, (short) 3);
        assertThat(retry.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(retry.apiKeys().find(ApiKeys.METADATA.id)).isNotNull();
        assertBrokerUnharmed();
    }

    @Test
    void batchWithWrongCrcGetsCorruptMessageAndLeavesLogUnchanged() throws Exception {
        final ByteBuffer batch = validBatch("corrupted-in-flight");
        // The CRC field ends at byte 21 and covers everything after it: change the last byte of the value.
        final int last = batch.limit() - 1;
        batch.put(last, (byte) (batch.get(last) ^ 0x5A));

        final ProduceResponseData.PartitionProduceResponse response = produce(TOPIC, 0, batch);

        assertThat(response.errorCode()).isEqualTo(Errors.CORRUPT_MESSAGE.code());
        assertBrokerUnharmed();
    }

    /** A record set that is not one well-formed v2 batch, and the error Kafka 4.4 answers it with. */
    private record MalformedRecords(String description, Supplier<ByteBuffer> records, Errors expected) {
        @Override
        public String toString() {
            return description + " -> " + expected;
        }
    }

    static Stream<MalformedRecords> malformedRecordSets() {
        return Stream.of(
                new MalformedRecords("batch cut short of its batchLength", () -> {
                    final ByteBuffer batch = validBatch("cut-short");
                    batch.limit(batch.limit() - 5);
                    return batch.slice();
                }, Errors.INVALID_RECORD),
                new MalformedRecords("batchLength beyond the bytes sent", () -> {
                    final ByteBuffer batch = validBatch("too-long");
                    batch.putInt(8, batch.getInt(8) + 100);
                    return batch;
                }, Errors.INVALID_RECORD),
                new MalformedRecords("batchLength below the batch header size", () -> {
                    final ByteBuffer batch = validBatch("too-short");
                    batch.putInt(8, 5);
                    return batch;
                }, Errors.CORRUPT_MESSAGE),
                new MalformedRecords("two batches for one partition", () -> {
                    final ByteBuffer first = validBatch("first");
                    final ByteBuffer second = validBatch("second");
                    final ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining())
                            .put(first).put(second);
                    both.flip();
                    return both;
                }, Errors.INVALID_RECORD),
                new MalformedRecords("no batch at all", () -> ByteBuffer.allocate(0), Errors.INVALID_RECORD),
                new MalformedRecords("magic 1 in a v2 batch", () -> {
                    final ByteBuffer batch = validBatch("old-magic");
                    batch.put(16, (byte) 1);
                    return batch;
                }, Errors.INVALID_RECORD));
    }

    @ParameterizedTest
    @MethodSource("malformedRecordSets")
    void malformedRecordSetGetsKafkasErrorAndAppendsNothing(MalformedRecords malformed) throws Exception {
        final ProduceResponseData.PartitionProduceResponse response = produce(TOPIC, 0, malformed.records().get());

        assertThat(Errors.forCode(response.errorCode())).as("error for %s", malformed.description())
                .isEqualTo(malformed.expected());
        assertBrokerUnharmed();
    }

    @Test
    void batchOverMessageMaxBytesGetsMessageTooLarge() throws Exception {
        final ProduceResponseData.PartitionProduceResponse response =
                produce(TOPIC, 0, validBatch("x".repeat(2 * MESSAGE_MAX_BYTES)));

        assertThat(response.errorCode()).isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
        assertBrokerUnharmed();
    }

    @Test
    void produceToMissingTopicWithoutAutoCreateGetsUnknownTopicAndCreatesNothing() throws Exception {
        final ProduceResponseData.PartitionProduceResponse response = produce("ghost", 0, validBatch("boo"));

        assertThat(response.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        final MetadataResponseData metadata = bystander.roundTrip(metadataRequest("ghost"), METADATA_VERSION);
        assertThat(metadata.topics().find("ghost").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertBrokerUnharmed();
    }

    @Test
    void produceToMissingPartitionGetsUnknownTopicOrPartition() throws Exception {
        final ProduceResponseData.PartitionProduceResponse response = produce(TOPIC, 7, validBatch("nowhere"));

        assertThat(response.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertBrokerUnharmed();
    }

    @Test
    void metadataForInvalidTopicNamesGetsInvalidTopic() throws Exception {
        final String[] names = {"a/b", "..", "x".repeat(250)};

        final MetadataResponseData response = victim.roundTrip(metadataRequest(names), METADATA_VERSION);

        for (String name : names) {
            assertThat(response.topics().find(name)).as("answer for %s", name).isNotNull();
            assertThat(response.topics().find(name).errorCode()).as("error for %s", name)
                    .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
        assertBrokerUnharmed();
    }

    @Test
    void createTopicsWithInvalidNamesGetsInvalidTopic() throws Exception {
        final String[] names = {"a/b", "..", "x".repeat(250)};
        final CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(10_000);
        for (String name : names) {
            request.topics().add(new CreateTopicsRequestData.CreatableTopic()
                    .setName(name).setNumPartitions(1).setReplicationFactor((short) 1));
        }

        final CreateTopicsResponseData response = victim.roundTrip(request, CREATE_TOPICS_VERSION);

        for (String name : names) {
            assertThat(response.topics().find(name)).as("answer for %s", name).isNotNull();
            assertThat(response.topics().find(name).errorCode()).as("error for %s", name)
                    .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
        assertBrokerUnharmed();
    }

    @Test
    void fetchBeyondLogEndGetsOffsetOutOfRange() throws Exception {
        final FetchResponseData.PartitionData partition = fetch(victim, TOPIC, 0, STORED_RECORDS + 1_000);

        assertThat(partition.errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        assertBrokerUnharmed();
    }

    @Test
    void acksZeroProduceThatFailsClosesConnection() throws Exception {
        // acks=0 has no response to carry the error, so the broker tells the client by closing the connection.
        victim.writeFully(RawKafkaConnection.encode(produceRequest("ghost", 0, (short) 0, validBatch("lost")),
                PRODUCE_VERSION, victim.nextCorrelationId()));

        assertVictimClosed();
        assertBrokerUnharmed();
    }

    @Test
    void acksZeroProduceThatSucceedsGetsNoResponseAndAppends() throws Exception {
        victim.writeFully(RawKafkaConnection.encode(produceRequest(TOPIC, 1, (short) 0, validBatch("fire-and-forget")),
                PRODUCE_VERSION, victim.nextCorrelationId()));

        // The next answer on the same connection is the Metadata one: no Produce response was sent.
        assertMetadataIsCorrect(victim);
        final FetchResponseData.PartitionData partition = fetch(victim, TOPIC, 1, 0);
        assertThat(partition.highWatermark()).isEqualTo(1);
        assertThat(values(partition)).containsExactly("fire-and-forget");
        assertBrokerUnharmed();
    }

    @Test
    void consumerWithoutResetPolicyFailsWithOffsetOutOfRange() throws Exception {
        final TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker,
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, STORED_RECORDS + 1_000);

            assertThatThrownBy(() -> {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(OffsetOutOfRangeException.class);
        }
        assertBrokerUnharmed();
    }

    // ---- unusual but valid use of one connection ------------------------------------------------------

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrder() throws Exception {
        final int metadata1 = victim.send(metadataRequest(TOPIC), METADATA_VERSION);
        final int produce = victim.send(produceRequest(TOPIC, 1, (short) -1, validBatch("pipelined")),
                PRODUCE_VERSION);
        final int fetch = victim.send(fetchRequest(TOPIC, 0, 0, 100), FETCH_VERSION);
        final int metadata2 = victim.send(metadataRequest(TOPIC), METADATA_VERSION);

        // receive() checks each correlation id, so any reordering fails here.
        final MetadataResponseData first = victim.receive(metadata1, ApiKeys.METADATA.id, METADATA_VERSION);
        final ProduceResponseData produced = victim.receive(produce, ApiKeys.PRODUCE.id, PRODUCE_VERSION);
        final FetchResponseData fetched = victim.receive(fetch, ApiKeys.FETCH.id, FETCH_VERSION);
        final MetadataResponseData second = victim.receive(metadata2, ApiKeys.METADATA.id, METADATA_VERSION);

        assertThat(first.topics().find(TOPIC).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(produced.responses().iterator().next().partitionResponses().get(0).errorCode())
                .isEqualTo(Errors.NONE.code());
        assertThat(values(fetched.responses().get(0).partitions().get(0))).hasSize(STORED_RECORDS);
        assertThat(second.topics().find(TOPIC).errorCode()).isEqualTo(Errors.NONE.code());
        assertBrokerUnharmed();
    }

    @Test
    void fetchWithNothingToReturnWaitsForMaxWait() throws Exception {
        final int maxWaitMs = 1_000;
        final long start = System.nanoTime();

        final FetchResponseData response = victim.roundTrip(fetchRequest(TOPIC, 1, 0, maxWaitMs), FETCH_VERSION);

        final long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        final FetchResponseData.PartitionData partition = response.responses().get(0).partitions().get(0);
        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(values(partition)).isEmpty();
        assertThat(elapsedMs).as("an empty fetch is parked for max.wait.ms").isGreaterThanOrEqualTo(maxWaitMs - 100);
        assertBrokerUnharmed();
    }
}

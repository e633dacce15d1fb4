package dev.skiff.it;

import static dev.skiff.it.Brokers.CALL_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.broker.Broker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicDeletionDisabledException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Topic administration through kafka-clients' {@link Admin}: every call the AdminClient makes must be
 * answered the way a single Kafka node answers it, including the error classes it maps codes to.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminClientIT {
    private static final int NODE_ID = 1;

    @TempDir
    Path dataDir;

    private Broker broker;
    private Admin admin;

    @BeforeEach
    void startBroker() {
        broker = Brokers.start(dataDir, "num.partitions", "4");
        admin = Brokers.admin(broker);
    }

    @AfterEach
    void stopBroker() {
        Brokers.closeAll(admin, broker);
    }

    private static <T> T get(KafkaFuture<T> future) throws Exception {
        return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private TopicDescription describe(String topic) throws Exception {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    }

    private Config topicConfig(String topic) throws Exception {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return get(admin.describeConfigs(List.of(resource)).all()).get(resource);
    }

    @Test
    void createdTopicIsListedAndDescribedWithOneLeaderAndItsId() throws Exception {
        final CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1)
                .configs(Map.of("retention.ms", "3600000", "segment.bytes", "1048576"))));
        get(created.all());
        final Uuid createdId = get(created.topicId("orders"));
        assertThat(createdId).isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(get(created.numPartitions("orders"))).isEqualTo(3);
        assertThat(get(created.replicationFactor("orders"))).isEqualTo(1);
        assertThat(get(created.config("orders")).get("retention.ms").value()).isEqualTo("3600000");

        assertThat(get(admin.listTopics().names())).contains("orders");

        final TopicDescription description = describe("orders");
        assertThat(description.name()).isEqualTo("orders");
        assertThat(description.isInternal()).isFalse();
        assertThat(description.topicId()).isEqualTo(createdId);
        assertThat(description.partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2);
        for (TopicPartitionInfo partition : description.partitions()) {
            assertThat(partition.leader().id()).isEqualTo(NODE_ID);
            assertThat(partition.replicas()).extracting(Node::id).containsExactly(NODE_ID);
            assertThat(partition.isr()).extracting(Node::id).containsExactly(NODE_ID);
        }
    }

    @Test
    void topicCanBeDescribedByItsId() throws Exception {
        final CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("by-id", 2, (short) 1)));
        final Uuid id = get(created.topicId("by-id"));

        final Map<Uuid, TopicDescription> byId =
                get(admin.describeTopics(TopicCollection.ofTopicIds(List.of(id))).allTopicIds());

        assertThat(byId.get(id).name()).isEqualTo("by-id");
        assertThat(byId.get(id).partitions()).hasSize(2);
    }

    @Test
    void describingUnknownTopicIdFailsWithUnknownTopicId() {
        final Uuid unknown = Uuid.randomUuid();

        assertThatThrownBy(() -> get(admin.describeTopics(TopicCollection.ofTopicIds(List.of(unknown))).allTopicIds()))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownTopicIdException.class);
    }

    @Test
    void topicCanBeDeletedByItsId() throws Exception {
        final CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("delete-by-id", 1, (short) 1)));
        final Uuid id = get(created.topicId("delete-by-id"));

        get(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all());

        assertThat(get(admin.listTopics().names())).doesNotContain("delete-by-id");
    }

    @Test
    void describeConfigsReportsTopicOverridesAndDefaults() throws Exception {
        Brokers.createTopic(admin, new NewTopic("configured", 1, (short) 1)
                .configs(Map.of("retention.ms", "3600000", "segment.bytes", "1048576")));

        final Config config = topicConfig("configured");

        final ConfigEntry retention = config.get("retention.ms");
        assertThat(retention.value()).isEqualTo("3600000");
        assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        final ConfigEntry segment = config.get("segment.bytes");
        assertThat(segment.value()).isEqualTo("1048576");
        assertThat(segment.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        final ConfigEntry cleanup = config.get("cleanup.policy");
        assertThat(cleanup.value()).isEqualTo("delete");
        assertThat(cleanup.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void describeConfigsOfMissingTopicFails() {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "absent");

        assertThatThrownBy(() -> get(admin.describeConfigs(List.of(resource)).all()))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void describeConfigsReportsBrokerSettings() throws Exception {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(NODE_ID));

        final Config config = get(admin.describeConfigs(List.of(resource)).all()).get(resource);

        final ConfigEntry partitions = config.get("num.partitions");
        assertThat(partitions.value()).isEqualTo("4");
        assertThat(partitions.source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(config.get("message.max.bytes")).isNotNull();
        assertThat(config.get("message.max.bytes").value()).isEqualTo("1048588");
    }

    @Test
    void validateOnlyCreatesNothing() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("dry-run", 3, (short) 1)),
                new CreateTopicsOptions().validateOnly(true)).all());

        assertThat(get(admin.listTopics().names())).doesNotContain("dry-run");
        assertThatThrownBy(() -> describe("dry-run"))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void validateOnlyStillReportsErrors() {
        assertThatThrownBy(() -> get(admin.createTopics(List.of(new NewTopic("dry-run-rf", 1, (short) 3)),
                new CreateTopicsOptions().validateOnly(true)).all()))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidReplicationFactorException.class);
    }

    @Test
    void metadataAutoCreatesTopicWithNumPartitions() throws Exception {
        try (KafkaProducer<String, String> producer = Brokers.producer(broker, Map.of())) {
            final List<PartitionInfo> partitions = producer.partitionsFor("auto-created");
            assertThat(partitions).hasSize(4);
            assertThat(partitions).allSatisfy(p -> assertThat(p.leader().id()).isEqualTo(NODE_ID));
        }
        assertThat(describe("auto-created").partitions()).hasSize(4);
    }

    @Test
    void createPartitionsGrowsTopicAndNewPartitionAcceptsRecords() throws Exception {
        Brokers.createTopic(admin, "growing", 2);

        get(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5))).all());

        assertThat(describe("growing").partitions()).extracting(TopicPartitionInfo::partition)
                .containsExactly(0, 1, 2, 3, 4);
        try (KafkaProducer<String, String> producer = Brokers.producer(broker, Map.of())) {
            final RecordMetadata sent = producer.send(new ProducerRecord<>("growing", 4, "k", "v"))
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(sent.partition()).isEqualTo(4);
            assertThat(sent.offset()).isZero();
        }
    }

    @Test
    void createPartitionsCannotShrinkOrKeepTheCount() throws Exception {
        Brokers.createTopic(admin, "fixed", 3);

        assertThatThrownBy(() -> get(admin.createPartitions(Map.of("fixed", NewPartitions.increaseTo(2))).all()))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidPartitionsException.class);
        assertThatThrownBy(() -> get(admin.createPartitions(Map.of("fixed", NewPartitions.increaseTo(3))).all()))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidPartitionsException.class);
        assertThat(describe("fixed").partitions()).hasSize(3);
    }

    @Test
    void createPartitionsOfMissingTopicFails() {
        assertThatThrownBy(() -> get(admin.createPartitions(Map.of("nowhere", NewPartitions.increaseTo(2))).all()))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void deletedTopicIsGoneAndItsNameCanBeReused() throws Exception {
        final CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("doomed", 2, (short) 1)));
        final Uuid firstId = get(created.topicId("doomed"));

        get(admin.deleteTopics(List.of("doomed")).all());

        // Skiff deletes synchronously (Kafka only eventually): gone from metadata and disk once answered.
        assertThat(get(admin.listTopics().names())).doesNotContain("doomed");
        assertThat(dataDir.resolve("doomed-0")).doesNotExist();
        assertThat(dataDir.resolve("doomed-1")).doesNotExist();
        assertThatThrownBy(() -> describe("doomed"))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        final CreateTopicsResult again = admin.createTopics(List.of(new NewTopic("doomed", 1, (short) 1)));
        assertThat(get(again.topicId("doomed"))).isNotEqualTo(firstId);
        assertThat(describe("doomed").partitions()).hasSize(1);
    }

    @Test
    void deletingATopicDropsTheGroupsCommittedOffsetsOfIt() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("reborn", 2, (short) 1), new NewTopic("kept", 1, (short) 1)))
                .all());
        final TopicPartition reborn0 = new TopicPartition("reborn", 0);
        final TopicPartition kept0 = new TopicPartition("kept", 0);
        get(admin.alterConsumerGroupOffsets("g", Map.of(reborn0, new OffsetAndMetadata(5),
                new TopicPartition("reborn", 1), new OffsetAndMetadata(6), kept0, new OffsetAndMetadata(7))).all());

        get(admin.deleteTopics(List.of("reborn")).all());
        get(admin.createTopics(List.of(new NewTopic("reborn", 2, (short) 1))).all());

        // A topic created again under the old name must not start from the old topic's positions.
        final Map<TopicPartition, OffsetAndMetadata> committed =
                get(admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata());
        assertThat(committed).containsOnlyKeys(kept0);
        assertThat(committed.get(kept0).offset()).isEqualTo(7);
    }

    @Test
    void deletingMissingTopicFailsWithUnknownTopic() {
        assertThatThrownBy(() -> get(admin.deleteTopics(List.of("never-was")).all()))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void deletionCanBeDisabled() throws Exception {
        Brokers.closeAll(admin, broker);
        admin = null;
        broker = Brokers.start(dataDir, "delete.topic.enable", "false");
        admin = Brokers.admin(broker);
        Brokers.createTopic(admin, "protected", 1);

        assertThatThrownBy(() -> get(admin.deleteTopics(List.of("protected")).all()))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TopicDeletionDisabledException.class);
        assertThat(get(admin.listTopics().names())).contains("protected");
    }

    @Test
    void creatingExistingTopicFailsWithTopicExists() throws Exception {
        Brokers.createTopic(admin, "twice", 1);

        assertThatThrownBy(() -> Brokers.createTopic(admin, "twice", 1))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TopicExistsException.class);
    }

    static Stream<Arguments> invalidTopicNames() {
        return Stream.of(Arguments.of("a/b"), Arguments.of(".."), Arguments.of("."), Arguments.of("x".repeat(250)),
                Arguments.of("spaces are illegal"));
    }

    @ParameterizedTest
    @MethodSource("invalidTopicNames")
    void invalidTopicNameIsRefused(String name) throws Exception {
        assertThatThrownBy(() -> Brokers.createTopic(admin, name, 1))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidTopicException.class);
        assertThat(get(admin.listTopics().names())).doesNotContain(name);
    }

    @Test
    void internalGroupTopicCannotBeCreatedOrUsedAsAUserTopic() throws Exception {
        assertThatThrownBy(() -> get(admin.createTopics(List.of(new NewTopic("__consumer_offsets", 1, (short) 1)))
                .all()))
                .hasCauseInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("internal topic");
        assertThat(get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names()))
                .doesNotContain("__consumer_offsets");
    }

    @Test
    void replicationFactorAboveOneIsRefused() throws Exception {
        assertThatThrownBy(() -> Brokers.createTopic(admin, new NewTopic("replicated", 1, (short) 3)))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidReplicationFactorException.class);
        assertThat(get(admin.listTopics().names())).doesNotContain("replicated");
    }

    @Test
    void zeroPartitionsIsRefused() {
        assertThatThrownBy(() -> Brokers.createTopic(admin, new NewTopic("empty", 0, (short) 1)))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidPartitionsException.class);
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(Arguments.of("retention.ms", "not-a-number"), Arguments.of("segment.bytes", "-5"),
                Arguments.of("no.such.config", "1"));
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void badConfigIsRefused(String key, String value) throws Exception {
        assertThatThrownBy(() -> Brokers.createTopic(admin, new NewTopic("badly-configured", 1, (short) 1)
                .configs(Map.of(key, value))))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidConfigurationException.class);
        assertThat(get(admin.listTopics().names())).doesNotContain("badly-configured");
    }

    @Test
    void describeClusterShowsOneNodeWithAClusterIdStableAcrossRestart() throws Exception {
        final DescribeClusterResult cluster = admin.describeCluster();
        final String clusterId = get(cluster.clusterId());
        assertThat(clusterId).isNotBlank();
        assertThat(get(cluster.nodes())).singleElement().satisfies(node -> {
            assertThat(node.id()).isEqualTo(NODE_ID);
            assertThat(node.host()).isEqualTo("127.0.0.1");
            assertThat(node.port()).isEqualTo(broker.port());
        });
        assertThat(get(cluster.controller()).id()).isEqualTo(NODE_ID);

        Brokers.closeAll(admin, broker);
        admin = null;
        broker = Brokers.start(dataDir);
        admin = Brokers.admin(broker);

        assertThat(get(admin.describeCluster().clusterId())).isEqualTo(clusterId);
        assertThat(get(admin.describeCluster().nodes())).extracting(Node::id).containsExactly(NODE_ID);
    }

    @Test
    void listTopicsShowsEveryCreatedTopic() throws Exception {
        for (String name : List.of("alpha", "beta", "gamma")) {
            Brokers.createTopic(admin, name, 1);
        }

        assertThat(get(admin.listTopics().names())).containsAll(Set.of("alpha", "beta", "gamma"));
    }
}

package dev.skiff.client.admin;

import dev.skiff.broker.Broker;
import dev.skiff.broker.BrokerConfig;
import dev.skiff.client.producer.ConfigException;
import dev.skiff.client.producer.Producer;
import dev.skiff.client.producer.ProducerConfig;
import dev.skiff.client.producer.ProducerRecord;
import dev.skiff.client.serde.StringSerializer;
import dev.skiff.protocol.Errors;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The admin helper against an in-process Skiff broker: the topic lifecycle and every error it reports. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminIT {
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

    @Test
    void topicLifecycleCreateListDescribeGrowDelete() throws Exception {
        admin.createTopic("lifecycle", 3, Map.of("retention.ms", "12345"));
        assertThat(admin.listTopics()).contains("lifecycle").isSorted();

        TopicDescription d = admin.describeTopic("lifecycle");
        assertThat(d.name()).isEqualTo("lifecycle");
        assertThat(d.topicId()).isNotNull();
        assertThat(d.partitions()).extracting(PartitionInfo::partition).containsExactly(0, 1, 2);
        for (PartitionInfo p : d.partitions()) {
            assertThat(p.leader()).isGreaterThanOrEqualTo(0);
            assertThat(p.replicas()).containsExactly(p.leader());
            assertThat(p.isr()).containsExactly(p.leader());
            assertThat(p.startOffset()).isZero();
            assertThat(p.endOffset()).isZero();
        }
        assertThat(d.configs().get("retention.ms")).isEqualTo(new ConfigValue("12345", "DYNAMIC_TOPIC_CONFIG",
                false));
        assertThat(d.configs().values()).anyMatch(ConfigValue::isDefault);

        try (Producer<String, String> producer = Producer.create(ProducerConfig.builder()
                .bootstrapServers(broker.bootstrapServers()).build(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("lifecycle", 1, null, "v" + i)).get(10, TimeUnit.SECONDS);
            }
        }
        d = admin.describeTopic("lifecycle");
        assertThat(d.partitions().get(1).endOffset()).isEqualTo(5);
        assertThat(d.partitions().get(0).endOffset()).isZero();

        admin.createPartitions("lifecycle", 5);
        assertThat(admin.describeTopic("lifecycle").partitions()).hasSize(5);

        admin.deleteTopic("lifecycle");
        assertThat(admin.listTopics()).doesNotContain("lifecycle");
        assertThat(catchThrowableOfType(AdminException.class, () -> admin.describeTopic("lifecycle")).error())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void createExistingTopicFailsWithTopicExists() {
        admin.createTopic("exists", 1, Map.of());
        final AdminException e = catchThrowableOfType(AdminException.class,
                () -> admin.createTopic("exists", 1, Map.of()));
        assertThat(e.error()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
        assertThat(e).hasMessageContaining("'exists' already exists");
    }

    @Test
    void unknownTopicFailsDescribeDeleteAndCreatePartitions() {
        for (Runnable call : List.<Runnable>of(() -> admin.describeTopic("missing"),
                () -> admin.deleteTopic("missing"), () -> admin.createPartitions("missing", 4))) {
            final AdminException e = catchThrowableOfType(AdminException.class, call::run);
            assertThat(e.error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(e).hasMessageContaining("'missing' does not exist");
        }
    }

    @Test
    void invalidTopicNameFailsWithInvalidTopic() {
        final AdminException e = catchThrowableOfType(AdminException.class,
                () -> admin.createTopic("bad/name", 1, Map.of()));
        assertThat(e.error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(e).hasMessageContaining("'bad/name' is invalid");
    }

    @Test
    void badPartitionCountsFailWithInvalidPartitions() {
        assertThat(catchThrowableOfType(AdminException.class, () -> admin.createTopic("zero", 0, Map.of())).error())
                .isEqualTo(Errors.INVALID_PARTITIONS);
        admin.createTopic("shrink", 3, Map.of());
        final AdminException e = catchThrowableOfType(AdminException.class, () -> admin.createPartitions("shrink", 2));
        assertThat(e.error()).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(e).hasMessageContaining("partitions can only be added");
    }

    @Test
    void replicationFactorAboveBrokerCountFailsWithInvalidReplicationFactor() {
        final AdminException e = catchThrowableOfType(AdminException.class,
                () -> admin.createTopic("rf3", 1, (short) 3, Map.of()));
        assertThat(e.error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(e).hasMessageContaining("number of brokers");
    }

    @Test
    void invalidConfigFailsWithInvalidConfig() {
        final AdminException e = catchThrowableOfType(AdminException.class,
                () -> admin.createTopic("badconfig", 1, Map.of("retention.ms", "soon")));
        assertThat(e.error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(e).hasMessageContaining("invalid configuration");
    }

    @Test
    void alterConfigsSetsAndDeletesTopicOverrides() {
        admin.createTopic("alter", 1, Map.of("segment.bytes", "2097152"));
        admin.alterTopicConfigs("alter", Map.of("retention.ms", "1000"), Set.of("segment.bytes"));
        final TopicDescription d = admin.describeTopic("alter");
        assertThat(d.configs().get("retention.ms").value()).isEqualTo("1000");
        assertThat(d.configs().get("retention.ms").isDefault()).isFalse();
        assertThat(d.configs().get("segment.bytes").isDefault()).isTrue();
        final AdminException e = catchThrowableOfType(AdminException.class,
                () -> admin.alterTopicConfigs("alter", Map.of("retention.ms", "soon"), Set.of()));
        assertThat(e.error()).isEqualTo(Errors.INVALID_CONFIG);
    }

    @Test
    void describeClusterNamesTheBroker() {
        final ClusterDescription c = admin.describeCluster();
        assertThat(c.clusterId()).isEqualTo(broker.clusterId());
        assertThat(c.nodes()).hasSize(1);
        assertThat(c.nodes().get(0).port()).isEqualTo(broker.port());
        assertThat(c.controllerId()).isEqualTo(c.nodes().get(0).id());
    }

    @Test
    void unreachableBootstrapIsReportedWithinSecondsNamingTheAddress() throws Exception {
        final int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        final long start = System.nanoTime();
        try (SkiffAdmin lost = SkiffAdmin.create("127.0.0.1:" + port)) {
            final AdminException e = catchThrowableOfType(AdminException.class, lost::listTopics);
            assertThat(e.error()).isEqualTo(Errors.NETWORK_EXCEPTION);
            assertThat(e).hasMessageContaining("bootstrap.servers=127.0.0.1:" + port)
                    .hasMessageContaining("connection refused");
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(8_000);
    }

    @Test
    void unknownOrInvalidSettingsFailAtCreation() {
        assertThatThrownBy(() -> SkiffAdmin.create(Map.of("bootstrap.servers", "127.0.0.1:9092", "acks", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Unknown configuration acks");
        assertThatThrownBy(() -> SkiffAdmin.create(Map.of("bootstrap.servers", "nohost")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bootstrap.servers");
    }

    @Test
    void closedAdminRefusesCalls() {
        final SkiffAdmin a = SkiffAdmin.create(broker.bootstrapServers());
        a.close();
        a.close();
        assertThatThrownBy(a::listTopics).isInstanceOf(IllegalStateException.class);
    }
}

package dev.skiff.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerConfigTest {

    @Test
    void defaultsServeLoopback9092WithDataInSkiffData() {
        final BrokerConfig config = BrokerConfig.defaults();
        assertThat(config.listener()).isEqualTo(new BrokerConfig.Listener("PLAINTEXT", "127.0.0.1", 9092));
        assertThat(config.logDir()).isEqualTo(Path.of("./skiff-data"));
        assertThat(config.numPartitions()).isEqualTo(1);
        assertThat(config.autoCreateTopics()).isTrue();
        assertThat(config.segmentBytes()).isEqualTo(1 << 30);
        assertThat(config.retentionMs()).isEqualTo(168 * 3_600_000L);
        assertThat(config.messageMaxBytes()).isEqualTo(1048588);
        assertThat(config.socketRequestMaxBytes()).isEqualTo(104857600);
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void invalidValueNamesKeyValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> BrokerConfig.fromProperties(Map.of("num.partitions", "zero")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value zero for configuration num.partitions: expected an integer in [1, 100000]");
        assertThatThrownBy(() -> BrokerConfig.fromProperties(Map.of("auto.create.topics.enable", "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auto.create.topics.enable")
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> BrokerConfig.fromProperties(Map.of("listeners", "SSL://localhost:9093")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("only PLAINTEXT");
        assertThatThrownBy(() -> BrokerConfig.fromProperties(Map.of("listeners", "PLAINTEXT://localhost:99999")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("port");
        assertThatThrownBy(() -> BrokerConfig.fromProperties(Map.of("log.dirs", "/a,/b")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("exactly one directory");
        assertThatThrownBy(() -> BrokerConfig.fromProperties(Map.of("default.replication.factor", "3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("default.replication.factor");
    }

    @Test
    void unknownKeysAreWarnedAboutAndKafkaOnlyKeysAccepted() {
        final BrokerConfig config = BrokerConfig.fromProperties(Map.of(
                "no.such.key", "1",
                "process.roles", "broker,controller"));
        assertThat(config.warnings()).containsExactly("Unknown configuration 'no.such.key' was ignored");
    }

    @Test
    void groupLogSegmentSizeAndFetchSessionSlotsAreRead() {
        assertThat(BrokerConfig.defaults().offsetsTopicSegmentBytes()).isEqualTo(100 * 1024 * 1024);
        assertThat(BrokerConfig.defaults().maxIncrementalFetchSessionCacheSlots()).isEqualTo(1000);
        final BrokerConfig config = BrokerConfig.fromProperties(Map.of("offsets.topic.segment.bytes", "4096",
                "max.incremental.fetch.session.cache.slots", "0"));
        assertThat(config.offsetsTopicSegmentBytes()).isEqualTo(4096);
        assertThat(config.maxIncrementalFetchSessionCacheSlots()).isZero();
        assertThat(config.warnings()).isEmpty();
        assertThat(dev.skiff.broker.internal.group.GroupConfig.from(config).offsetsTopicSegmentBytes()).isEqualTo(4096);
        assertThatThrownBy(() -> BrokerConfig.fromProperties(Map.of("offsets.topic.segment.bytes", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("offsets.topic.segment.bytes");
    }

    @Test
    void retentionPrecedenceIsMsThenMinutesThenHours() {
        assertThat(BrokerConfig.fromProperties(Map.of("log.retention.hours", "1")).retentionMs()).isEqualTo(3_600_000L);
        assertThat(BrokerConfig.fromProperties(Map.of("log.retention.hours", "1", "log.retention.minutes", "2"))
                .retentionMs()).isEqualTo(120_000L);
        assertThat(BrokerConfig.fromProperties(Map.of("log.retention.minutes", "2", "log.retention.ms", "5"))
                .retentionMs()).isEqualTo(5L);
        assertThat(BrokerConfig.fromProperties(Map.of("log.retention.ms", "-1")).retentionMs()).isEqualTo(-1L);
    }

    @Test
    void readsServerPropertiesFile(@TempDir Path dir) throws Exception {
        final Path file = dir.resolve("server.properties");
        Files.writeString(file, "# comment\nlisteners=PLAINTEXT://127.0.0.1:0\nnum.partitions = 6\nlog.dirs=" + dir + "\n");
        final BrokerConfig config = BrokerConfig.fromProperties(BrokerConfig.readPropertiesFile(file));
        assertThat(config.numPartitions()).isEqualTo(6);
        assertThat(config.listener().port()).isZero();
        assertThat(config.logDir()).isEqualTo(dir);
    }

    @Test
    void missingConfigFileIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> BrokerConfig.readPropertiesFile(dir.resolve("nope.properties")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Cannot read configuration file");
    }

    @Test
    void consumerGroupProtocolKeysHaveKafkasDefaultsAndAreValidated() {
        final BrokerConfig config = BrokerConfig.defaults();
        assertThat(config.groupConsumerHeartbeatIntervalMs()).isEqualTo(5000);
        assertThat(config.groupConsumerSessionTimeoutMs()).isEqualTo(45000);
        assertThat(config.groupConsumerAssignors()).containsExactly("uniform", "range");
        assertThat(config.groupCoordinatorRebalanceProtocols()).containsExactly("classic", "consumer");
        assertThat(BrokerConfig.fromProperties(Map.of(BrokerConfig.GROUP_CONSUMER_ASSIGNORS,
                "org.apache.kafka.coordinator.group.assignor.RangeAssignor")).groupConsumerAssignors())
                .containsExactly("range");
        assertThatThrownBy(() -> BrokerConfig.fromProperties(
                Map.of(BrokerConfig.GROUP_CONSUMER_ASSIGNORS, "sticky")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group.consumer.assignors");
        assertThatThrownBy(() -> BrokerConfig.fromProperties(
                Map.of(BrokerConfig.GROUP_COORDINATOR_REBALANCE_PROTOCOLS, "consumer")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("classic must be enabled");
        assertThatThrownBy(() -> BrokerConfig.fromProperties(
                Map.of(BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "50000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group.consumer.session.timeout.ms");
    }
}

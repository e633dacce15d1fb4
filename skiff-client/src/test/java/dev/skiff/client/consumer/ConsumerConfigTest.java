package dev.skiff.client.consumer;

import dev.skiff.client.producer.ConfigException;
import dev.skiff.client.serde.StringDeserializer;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Consumer settings: Kafka's defaults, and one clear ConfigException per mistake. */
class ConsumerConfigTest {
    private static final String BOOTSTRAP = "127.0.0.1:9092";

    @Test
    void defaultsAreKafkas() {
        final ConsumerConfig c = ConsumerConfig.builder().bootstrapServers(BOOTSTRAP).build();
        assertThat(c.bootstrapServers()).containsExactly(BOOTSTRAP);
        assertThat(c.clientId()).startsWith("skiff-consumer-");
        assertThat(c.fetchMinBytes()).isEqualTo(1);
        assertThat(c.fetchMaxBytes()).isEqualTo(52_428_800);
        assertThat(c.maxPartitionFetchBytes()).isEqualTo(1_048_576);
        assertThat(c.fetchMaxWaitMs()).isEqualTo(500);
        assertThat(c.maxPollRecords()).isEqualTo(500);
        assertThat(c.requestTimeoutMs()).isEqualTo(30_000);
        assertThat(c.isolationLevel()).isEqualTo("read_uncommitted");
        assertThat(c.autoOffsetReset()).isEqualTo("latest");
        assertThat(c.checkCrcs()).isTrue();
        assertThat(c.keyDeserializer()).isNull();
    }

    @Test
    void propertiesAcceptTextAndTypedValues() {
        final ConsumerConfig c = ConsumerConfig.fromProperties(Map.of("bootstrap.servers", "a:1, b:2",
                "max.poll.records", 10, "auto.offset.reset", "EARLIEST", "isolation.level", "read_committed",
                "fetch.max.wait.ms", "100", "client.id", "me"));
        assertThat(c.bootstrapServers()).containsExactly("a:1", "b:2");
        assertThat(c.maxPollRecords()).isEqualTo(10);
        assertThat(c.autoOffsetReset()).isEqualTo("earliest");
        assertThat(c.isolationLevel()).isEqualTo("read_committed");
        assertThat(c.clientId()).isEqualTo("me");
    }

    @Test
    void mistakesNameTheKeyTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> ConsumerConfig.builder().build()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("Missing required configuration bootstrap.servers");
        assertThatThrownBy(() -> ConsumerConfig.builder().bootstrapServers(BOOTSTRAP).set("no.such.key", "g")
                .build()).isInstanceOf(ConfigException.class).hasMessageContaining("Unknown configuration no.such.key");
        assertThatThrownBy(() -> ConsumerConfig.builder().bootstrapServers(BOOTSTRAP)
                .set("partition.assignment.strategy", "sticky").build()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("one of range, roundrobin");
        assertThatThrownBy(() -> ConsumerConfig.builder().bootstrapServers(BOOTSTRAP)
                .set("heartbeat.interval.ms", 10000).set("session.timeout.ms", 6000).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("heartbeat.interval.ms");
        assertThatThrownBy(() -> ConsumerConfig.builder().bootstrapServers(BOOTSTRAP).autoOffsetReset("smallest")
                .build()).isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value smallest for configuration auto.offset.reset: "
                        + "one of latest, earliest, none");
        assertThatThrownBy(() -> ConsumerConfig.builder().bootstrapServers(BOOTSTRAP).maxPollRecords(0).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("max.poll.records");
        assertThatThrownBy(() -> ConsumerConfig.builder().bootstrapServers(BOOTSTRAP).set("fetch.min.bytes", "x")
                .build()).isInstanceOf(ConfigException.class).hasMessageContaining("fetch.min.bytes");
        assertThatThrownBy(() -> ConsumerConfig.builder().bootstrapServers("nohost").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("'nohost' is not host:port");
        assertThatThrownBy(() -> ConsumerConfig.builder().bootstrapServers(BOOTSTRAP).fetchMaxWaitMs(40_000)
                .build()).isInstanceOf(ConfigException.class).hasMessageContaining("must be less than");
    }

    @Test
    void deserializersComeFromTheConfigWhenNotPassed() {
        final ConsumerConfig c = ConsumerConfig.builder().bootstrapServers(BOOTSTRAP)
                .keyDeserializer(StringDeserializer.class.getName()).valueDeserializer(StringDeserializer.class)
                .build();
        SimpleConsumer.create(c, null, null).close();
        final ConsumerConfig none = ConsumerConfig.builder().bootstrapServers(BOOTSTRAP).build();
        assertThatThrownBy(() -> SimpleConsumer.create(none, null, new StringDeserializer()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key.deserializer");
        final ConsumerConfig wrong = ConsumerConfig.builder().bootstrapServers(BOOTSTRAP)
                .keyDeserializer(String.class).build();
        assertThatThrownBy(() -> SimpleConsumer.create(wrong, null, new StringDeserializer()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key.deserializer");
    }

    @Test
    void groupKeysHaveKafkaDefaultsAndAreAccepted() {
        final ConsumerConfig d = ConsumerConfig.builder().bootstrapServers(BOOTSTRAP).build();
        assertThat(d.groupId()).isEmpty();
        assertThat(d.groupInstanceId()).isEmpty();
        assertThat(d.sessionTimeoutMs()).isEqualTo(45000);
        assertThat(d.heartbeatIntervalMs()).isEqualTo(3000);
        assertThat(d.maxPollIntervalMs()).isEqualTo(300000);
        assertThat(d.enableAutoCommit()).isTrue();
        assertThat(d.autoCommitIntervalMs()).isEqualTo(5000);
        assertThat(d.partitionAssignmentStrategy()).isEqualTo("range");
        final ConsumerConfig c = ConsumerConfig.fromProperties(Map.of("bootstrap.servers", BOOTSTRAP,
                "group.id", "g", "group.instance.id", "i-1", "enable.auto.commit", "false",
                "partition.assignment.strategy", "RoundRobin"));
        assertThat(c.groupId()).isEqualTo("g");
        assertThat(c.groupInstanceId()).isEqualTo("i-1");
        assertThat(c.enableAutoCommit()).isFalse();
        assertThat(c.partitionAssignmentStrategy()).isEqualTo("roundrobin");
    }

    @Test
    void assignmentStrategiesAreAnOrderedListWithKafkasDefaultAndClassNames() {
        final ConsumerConfig d = ConsumerConfig.builder().bootstrapServers(BOOTSTRAP).build();
        assertThat(d.partitionAssignmentStrategies()).containsExactly("range", "cooperative-sticky");
        assertThat(ConsumerConfig.builder().bootstrapServers(BOOTSTRAP)
                .partitionAssignmentStrategy(" Cooperative-Sticky ").build().partitionAssignmentStrategies())
                .containsExactly("cooperative-sticky");
        assertThat(ConsumerConfig.fromProperties(Map.of("bootstrap.servers", BOOTSTRAP,
                "partition.assignment.strategy", java.util.List.of(
                        org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class,
                        "org.apache.kafka.clients.consumer.RoundRobinAssignor", "roundrobin")))
                .partitionAssignmentStrategies()).containsExactly("cooperative-sticky", "roundrobin");
        assertThatThrownBy(() -> ConsumerConfig.builder().bootstrapServers(BOOTSTRAP)
                .partitionAssignmentStrategy(" , ").build()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("partition.assignment.strategy");
        assertThatThrownBy(() -> ConsumerConfig.builder().bootstrapServers(BOOTSTRAP)
                .partitionAssignmentStrategy("range,sticky").build()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value range,sticky");
    }
}

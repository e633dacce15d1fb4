package dev.skiff.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.broker.Broker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** IncrementalAlterConfigs and AlterConfigs of topic configurations, with kafka-clients' Admin and raw requests. */
@Timeout(60)
class AlterConfigsIT {
    @TempDir
    Path dir;
    private Broker broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        broker = Brokers.start(dir.resolve("data"));
        admin = Brokers.admin(broker);
        Brokers.createTopic(admin, new NewTopic("configurable", 2, (short) 1)
                .configs(Map.of("retention.ms", "60000")));
    }

    @AfterEach
    void stop() {
        Brokers.closeAll(admin, broker);
    }

    private static <T> T get(KafkaFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    private Config describe(String topic) throws Exception {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return get(admin.describeConfigs(List.of(resource)).all()).get(resource);
    }

    private void alter(String topic, AlterConfigOp... ops) throws Exception {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        get(admin.incrementalAlterConfigs(Map.of(resource, List.of(ops))).all());
    }

    @Test
    void setAndDeleteChangeTheTopicsOverridesAndSurviveRestart() throws Exception {
        alter("configurable",
                new AlterConfigOp(new ConfigEntry("segment.bytes", "1048576"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE));
        Config config = describe("configurable");
        assertThat(config.get("segment.bytes").value()).isEqualTo("1048576");
        assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("retention.ms").value()).isEqualTo(Long.toString(168 * 3_600_000L));
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        Brokers.closeAll(admin, broker);
        broker = Brokers.start(dir.resolve("data"));
        admin = Brokers.admin(broker);
        config = describe("configurable");
        assertThat(config.get("segment.bytes").value()).isEqualTo("1048576");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void validateOnlyChangesNothing() throws Exception {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "configurable");
        get(admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                new ConfigEntry("segment.bytes", "2097152"), AlterConfigOp.OpType.SET))),
                new AlterConfigsOptions().validateOnly(true)).all());
        assertThat(describe("configurable").get("segment.bytes").source())
                .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }

    @Test
    void invalidValueUnknownKeyAndAppendAreInvalidConfig() throws Exception {
        assertThatThrownBy(() -> alter("configurable",
                new AlterConfigOp(new ConfigEntry("retention.ms", "soon"), AlterConfigOp.OpType.SET)))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.ms");
        assertThatThrownBy(() -> alter("configurable",
                new AlterConfigOp(new ConfigEntry("no.such.config", "1"), AlterConfigOp.OpType.SET)))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("no.such.config");
        assertThatThrownBy(() -> alter("configurable",
                new AlterConfigOp(new ConfigEntry("segment.bytes", "1"), AlterConfigOp.OpType.APPEND)))
                .hasCauseInstanceOf(InvalidConfigurationException.class);
        assertThat(describe("configurable").get("retention.ms").value()).isEqualTo("60000");
    }

    @Test
    void unknownTopicAndBrokerResourceAreRefused() throws Exception {
        assertThatThrownBy(() -> alter("ghost",
                new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET)))
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        final ConfigResource brokerResource = new ConfigResource(ConfigResource.Type.BROKER, "1");
        assertThatThrownBy(() -> get(admin.incrementalAlterConfigs(Map.of(brokerResource, List.of(new AlterConfigOp(
                new ConfigEntry("num.partitions", "3"), AlterConfigOp.OpType.SET)))).all()))
                .hasCauseInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("server.properties");
    }

    @Test
    void legacyAlterConfigsReplacesAllOverridesInEveryVersion() throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open("127.0.0.1", broker.port())) {
            for (short version = 0; version <= 2; version++) {
                final String segmentBytes = Integer.toString(1048576 * (version + 1));
                final AlterConfigsRequestData request = new AlterConfigsRequestData().setValidateOnly(false);
                final AlterConfigsRequestData.AlterConfigsResource resource =
                        new AlterConfigsRequestData.AlterConfigsResource()
                                .setResourceType(ConfigResource.Type.TOPIC.id())
                                .setResourceName("configurable");
                resource.configs().add(new AlterConfigsRequestData.AlterableConfig()
                        .setName("segment.bytes").setValue(segmentBytes));
                request.resources().add(resource);
                final AlterConfigsResponseData response = connection.roundTrip(request, version);
                assertThat(response.responses()).hasSize(1);
                assertThat(response.responses().get(0).errorCode()).as("v%d", version).isEqualTo(Errors.NONE.code());
                final Config config = describe("configurable");
                assertThat(config.get("segment.bytes").value()).isEqualTo(segmentBytes);
                // Not listed, so back to its default: the legacy API replaces the whole set.
                assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            }
        }
    }
}

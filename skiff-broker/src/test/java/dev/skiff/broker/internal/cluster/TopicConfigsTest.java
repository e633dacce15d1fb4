package dev.skiff.broker.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.broker.BrokerConfig;
import dev.skiff.broker.ConfigException;
import dev.skiff.storage.LogConfig;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Topic configs of compaction: validation, defaults from the broker keys, and the storage config they make. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TopicConfigsTest {
    @Test
    void compactionConfigsReachTheLogConfig() {
        final LogConfig c = TopicConfigs.logConfig(BrokerConfig.defaults(), Map.of("cleanup.policy", "compact,delete",
                "delete.retention.ms", "100", "min.cleanable.dirty.ratio", "0.01", "min.compaction.lag.ms", "5",
                "max.compaction.lag.ms", "60000"));
        assertThat(c.compact()).isTrue();
        assertThat(c.delete()).isTrue();
        assertThat(c.deleteRetentionMs()).isEqualTo(100);
        assertThat(c.minCleanableDirtyRatio()).isEqualTo(0.01);
        assertThat(c.minCompactionLagMs()).isEqualTo(5);
        assertThat(c.maxCompactionLagMs()).isEqualTo(60_000);
    }

    @Test
    void defaultsAreKafkasAndComeFromTheBrokerKeys() {
        final Map<String, String> defaults = TopicConfigs.effective(BrokerConfig.defaults(), Map.of());
        assertThat(defaults).containsEntry("cleanup.policy", "delete")
                .containsEntry("delete.retention.ms", "86400000")
                .containsEntry("min.cleanable.dirty.ratio", "0.5")
                .containsEntry("min.compaction.lag.ms", "0")
                .containsEntry("max.compaction.lag.ms", Long.toString(Long.MAX_VALUE));

        final BrokerConfig broker = BrokerConfig.builder().set(BrokerConfig.LOG_CLEANUP_POLICY, "compact")
                .set(BrokerConfig.LOG_CLEANER_MIN_CLEANABLE_RATIO, "0.2")
                .set(BrokerConfig.LOG_CLEANER_BACKOFF_MS, "250").build();
        assertThat(broker.warnings()).isEmpty();
        final TopicConfigs.Entry policy = TopicConfigs.entry("cleanup.policy");
        assertThat(TopicConfigs.sourceOf(policy, broker, Map.of())).isEqualTo(TopicConfigs.Source.BROKER);
        final LogConfig c = TopicConfigs.logConfig(broker, Map.of());
        assertThat(c.cleanupPolicy()).isEqualTo("compact");
        assertThat(c.minCleanableDirtyRatio()).isEqualTo(0.2);
        assertThat(c.cleanerBackoffMs()).isEqualTo(250);
    }

    @Test
    void badValuesAreRefusedWithKafkasWording() {
        assertThat(TopicConfigs.validate(Map.of("cleanup.policy", "compact"))).isNull();
        assertThat(TopicConfigs.validate(Map.of("cleanup.policy", "delete,compact"))).isNull();
        assertThat(TopicConfigs.validate(Map.of("cleanup.policy", "compress")))
                .isEqualTo("Invalid value compress for configuration cleanup.policy: String must be one of: compact, "
                        + "delete");
        assertThat(TopicConfigs.validate(Map.of("min.cleanable.dirty.ratio", "2")))
                .contains("min.cleanable.dirty.ratio");
        assertThat(TopicConfigs.validate(Map.of("delete.retention.ms", "-5"))).contains("delete.retention.ms");
        assertThat(TopicConfigs.validate(Map.of("min.compaction.lag.ms", "10", "max.compaction.lag.ms", "5")))
                .contains("min.compaction.lag.ms");
    }

    @Test
    void brokerRefusesBadCleanerKeys() {
        assertThatThrownBy(() -> BrokerConfig.builder().set(BrokerConfig.LOG_CLEANUP_POLICY, "shred").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining(BrokerConfig.LOG_CLEANUP_POLICY);
        assertThatThrownBy(() -> BrokerConfig.builder().set(BrokerConfig.LOG_CLEANER_MIN_CLEANABLE_RATIO, "x").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining(BrokerConfig.LOG_CLEANER_MIN_CLEANABLE_RATIO);
        assertThatThrownBy(() -> BrokerConfig.builder().set(BrokerConfig.LOG_CLEANER_MIN_COMPACTION_LAG_MS, "10")
                .set(BrokerConfig.LOG_CLEANER_MAX_COMPACTION_LAG_MS, "5").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(BrokerConfig.LOG_CLEANER_MIN_COMPACTION_LAG_MS);
    }
}

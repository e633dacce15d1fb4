package dev.skiff.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LogConfigTest {
    @Test
    void defaultsAreKafkas() {
        final LogConfig c = LogConfig.defaults();
        assertThat(c.segmentBytes()).isEqualTo(1 << 30);
        assertThat(c.segmentMs()).isEqualTo(604_800_000L);
        assertThat(c.retentionMs()).isEqualTo(604_800_000L);
        assertThat(c.retentionBytes()).isEqualTo(-1);
        assertThat(c.indexIntervalBytes()).isEqualTo(4096);
        assertThat(c.segmentIndexBytes()).isEqualTo(10 << 20);
        assertThat(c.fileDeleteDelayMs()).isEqualTo(60_000);
        assertThat(c.producerIdExpirationMs()).isEqualTo(86_400_000L);
        assertThat(c.cleanupPolicy()).isEqualTo("delete");
        assertThat(c.compact()).isFalse();
        assertThat(c.delete()).isTrue();
        assertThat(c.deleteRetentionMs()).isEqualTo(86_400_000L);
        assertThat(c.minCleanableDirtyRatio()).isEqualTo(0.5);
        assertThat(c.minCompactionLagMs()).isZero();
        assertThat(c.maxCompactionLagMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(c.cleanerBackoffMs()).isEqualTo(15_000L);
    }

    @Test
    void cleanupPolicyAcceptsKafkasListsUnderBothNames() {
        assertThat(LogConfig.builder().set("cleanup.policy", "compact").build().cleanupPolicy()).isEqualTo("compact");
        final LogConfig both = LogConfig.builder().set("log.cleanup.policy", "delete, compact").build();
        assertThat(both.cleanupPolicy()).isEqualTo("compact,delete");
        assertThat(both.compact()).isTrue();
        assertThat(both.delete()).isTrue();
        assertThat(LogConfig.builder().set("cleanup.policy", "compact,delete").build()).isEqualTo(both);
        assertThat(both.toBuilder().build()).isEqualTo(both).hasSameHashCodeAs(both);
        assertThatThrownBy(() -> LogConfig.builder().set("cleanup.policy", "compress"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cleanup.policy")
                .hasMessageContaining("compress");
        assertThatThrownBy(() -> LogConfig.builder().set("cleanup.policy", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cleanup.policy");
    }

    @Test
    void compactionSettingsAreValidated() {
        final LogConfig c = LogConfig.builder().set("delete.retention.ms", "5").set("log.cleaner.min.cleanable.ratio",
                "0.01").set("min.compaction.lag.ms", "7").set("log.cleaner.max.compaction.lag.ms", "9")
                .set("log.cleaner.backoff.ms", "100").build();
        assertThat(c.deleteRetentionMs()).isEqualTo(5);
        assertThat(c.minCleanableDirtyRatio()).isEqualTo(0.01);
        assertThat(c.minCompactionLagMs()).isEqualTo(7);
        assertThat(c.maxCompactionLagMs()).isEqualTo(9);
        assertThat(c.cleanerBackoffMs()).isEqualTo(100);
        assertThatThrownBy(() -> LogConfig.builder().minCleanableDirtyRatio(1.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min.cleanable.dirty.ratio");
        assertThatThrownBy(() -> LogConfig.builder().set("min.cleanable.dirty.ratio", "half"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a number");
        assertThatThrownBy(() -> LogConfig.builder().deleteRetentionMs(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delete.retention.ms");
        assertThatThrownBy(() -> LogConfig.builder().maxCompactionLagMs(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max.compaction.lag.ms");
        assertThatThrownBy(() -> LogConfig.builder().minCompactionLagMs(10).maxCompactionLagMs(5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min.compaction.lag.ms");
    }

    @Test
    void kafkaNamesSetFieldsAndBadValuesAreRejected() {
        final LogConfig c = LogConfig.builder().set("segment.bytes", "2048").set("log.retention.ms", "-1")
                .set("retention.bytes", " 100 ").build();

        assertThat(c.segmentBytes()).isEqualTo(2048);
        assertThat(c.retentionMs()).isEqualTo(-1);
        assertThat(c.retentionBytes()).isEqualTo(100);
        assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
        assertThat(LogConfig.isKnown("segment.ms")).isTrue();
        assertThat(LogConfig.isKnown("cleanup.policy")).isTrue();
        assertThat(LogConfig.isKnown("log.cleaner.min.cleanable.ratio")).isTrue();
        assertThat(LogConfig.isKnown("cleanup.policies")).isFalse();
        assertThatThrownBy(() -> LogConfig.builder().set("cleanup.policies", "compact"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cleanup.policies");
        assertThatThrownBy(() -> LogConfig.builder().set("segment.ms", "soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment.ms");
        assertThatThrownBy(() -> LogConfig.builder().retentionMs(-2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention.ms");
        assertThatThrownBy(() -> LogConfig.builder().segmentIndexBytes(8).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment.index.bytes");
    }
}

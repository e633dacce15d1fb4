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
        assertThat(LogConfig.isKnown("cleanup.policy")).isFalse();
        assertThatThrownBy(() -> LogConfig.builder().set("cleanup.policy", "compact"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cleanup.policy");
        assertThatThrownBy(() -> LogConfig.builder().set("segment.ms", "soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment.ms");
        assertThatThrownBy(() -> LogConfig.builder().retentionMs(-2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention.ms");
        assertThatThrownBy(() -> LogConfig.builder().segmentIndexBytes(8).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment.index.bytes");
    }
}

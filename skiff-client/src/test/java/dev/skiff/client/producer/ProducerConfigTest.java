package dev.skiff.client.producer;

import dev.skiff.protocol.record.CompressionType;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerConfigTest {
    private static final String BOOT = "127.0.0.1:9092";

    @Test
    void defaultsAreKafka4Defaults() {
        final ProducerConfig c = ProducerConfig.builder().bootstrapServers(BOOT).build();
        assertThat(c.acks()).isEqualTo((short) -1);
        assertThat(c.idempotence()).isTrue();
        assertThat(c.lingerMs()).isEqualTo(5);
        assertThat(c.batchSize()).isEqualTo(16384);
        assertThat(c.bufferMemory()).isEqualTo(33554432L);
        assertThat(c.maxBlockMs()).isEqualTo(60000);
        assertThat(c.deliveryTimeoutMs()).isEqualTo(120000);
        assertThat(c.requestTimeoutMs()).isEqualTo(30000);
        assertThat(c.retries()).isEqualTo(Integer.MAX_VALUE);
        assertThat(c.retryBackoffMs()).isEqualTo(100);
        assertThat(c.retryBackoffMaxMs()).isEqualTo(1000);
        assertThat(c.maxInFlightRequestsPerConnection()).isEqualTo(5);
        assertThat(c.compressionType()).isEqualTo(CompressionType.NONE);
        assertThat(c.maxRequestSize()).isEqualTo(1048576);
        assertThat(c.metadataMaxAgeMs()).isEqualTo(300000);
        assertThat(c.partitionerIgnoreKeys()).isFalse();
        assertThat(c.clientId()).startsWith("skiff-producer-");
        assertThat(c.bootstrapServers()).containsExactly(BOOT);
    }

    @Test
    void propertiesAcceptStringsAndTypedValues() {
        final ProducerConfig c = ProducerConfig.fromProperties(Map.of(
                "bootstrap.servers", "a:1, b:2",
                "acks", "1",
                "linger.ms", 20,
                "batch.size", "1000",
                "compression.type", "zstd",
                "enable.idempotence", false,
                "key.serializer", dev.skiff.client.serde.StringSerializer.class));
        assertThat(c.bootstrapServers()).containsExactly("a:1", "b:2");
        assertThat(c.acks()).isEqualTo((short) 1);
        assertThat(c.lingerMs()).isEqualTo(20);
        assertThat(c.batchSize()).isEqualTo(1000);
        assertThat(c.compressionType()).isEqualTo(CompressionType.ZSTD);
        assertThat(c.idempotence()).isFalse();
        assertThat(c.keySerializer()).isEqualTo(dev.skiff.client.serde.StringSerializer.class);
    }

    @Test
    void unknownKeyIsRejectedByName() {
        assertThatThrownBy(() -> ProducerConfig.fromProperties(Map.of("bootstrap.servers", BOOT, "lingr.ms", "5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Unknown configuration lingr.ms")
                .hasMessageContaining("linger.ms");
    }

    @Test
    void invalidValuesNameKeyValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> ProducerConfig.builder().bootstrapServers(BOOT).acks("2").build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 2 for configuration acks: one of all, -1, 0, 1");
        assertThatThrownBy(() -> ProducerConfig.builder().bootstrapServers(BOOT).set("linger.ms", "-1").build())
                .hasMessageContaining("linger.ms").hasMessageContaining("-1").hasMessageContaining(">= 0");
        assertThatThrownBy(() -> ProducerConfig.builder().bootstrapServers(BOOT).compressionType("brotli").build())
                .hasMessageContaining("compression.type").hasMessageContaining("none, gzip, snappy, lz4, zstd");
        assertThatThrownBy(() -> ProducerConfig.builder().bootstrapServers("localhost").build())
                .hasMessageContaining("bootstrap.servers").hasMessageContaining("host:port");
        assertThatThrownBy(() -> ProducerConfig.builder().build())
                .hasMessageContaining("Missing required configuration bootstrap.servers");
        assertThatThrownBy(() -> ProducerConfig.builder().bootstrapServers(BOOT).set("batch.size", "big").build())
                .hasMessageContaining("batch.size");
        assertThatThrownBy(() -> ProducerConfig.builder().bootstrapServers(BOOT).set("enable.idempotence", "yes")
                .build()).hasMessageContaining("enable.idempotence").hasMessageContaining("true or false");
    }

    @Test
    void deliveryTimeoutMustCoverLingerPlusRequestTimeout() {
        assertThatThrownBy(() -> ProducerConfig.builder().bootstrapServers(BOOT).deliveryTimeoutMs(1000)
                .requestTimeoutMs(1000).lingerMs(5).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("delivery.timeout.ms").hasMessageContaining("1005");
    }

    @Test
    void explicitIdempotenceConflictsAreErrors() {
        assertThatThrownBy(() -> ProducerConfig.builder().bootstrapServers(BOOT).enableIdempotence(true).acks("1")
                .build()).isInstanceOf(ConfigException.class).hasMessageContaining("acks must be all");
        assertThatThrownBy(() -> ProducerConfig.builder().bootstrapServers(BOOT).enableIdempotence(true)
                .maxInFlightRequestsPerConnection(6).build()).hasMessageContaining("at most 5");
    }

    @Test
    void defaultIdempotenceYieldsToConflictingSettingsAsInKafka() {
        assertThat(ProducerConfig.builder().bootstrapServers(BOOT).acks("1").build().idempotence()).isFalse();
        assertThat(ProducerConfig.builder().bootstrapServers(BOOT).maxInFlightRequestsPerConnection(10).build()
                .idempotence()).isFalse();
    }

    @Test
    void missingSerializerIsAConfigError() {
        final ProducerConfig c = ProducerConfig.builder().bootstrapServers(BOOT).build();
        assertThatThrownBy(() -> new SkiffProducer<String, String>(c, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key.serializer");
        final ProducerConfig bad = ProducerConfig.builder().bootstrapServers(BOOT).set("key.serializer", "no.Such")
                .set("value.serializer", "no.Such").build();
        assertThatThrownBy(() -> new SkiffProducer<String, String>(bad, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no.Such");
    }
}

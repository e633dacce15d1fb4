package dev.skiff.client.producer;

import dev.skiff.client.serde.StringSerializer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** ProducerMeterBinder against an in-process Skiff broker: meters read the producer's own counters. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProducerMeterBinderIT {
    @TempDir
    static Path dir;
    static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        broker = new EmbeddedBroker(dir, Map.of("auto.create.topics.enable", "false"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void countersAndGaugesFollowTheProducer() throws Exception {
        final String topic = "metered";
        broker.createTopic(topic, 3);
        final int n = 500;
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Producer<String, String> producer = Producer.create(ProducerConfig.builder()
                .bootstrapServers(broker.bootstrap()).lingerMs(2).build(), new StringSerializer(),
                new StringSerializer())) {
            new ProducerMeterBinder(producer, Tags.of("client.id", "meter-test")).bindTo(registry);
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "value-" + i));
            }
            producer.flush();

            final FunctionCounter sent = registry.get("skiff.producer.records.sent")
                    .tag("client.id", "meter-test").functionCounter();
            assertThat(sent.count()).isEqualTo(n);
            assertThat(registry.get("skiff.producer.record.errors").functionCounter().count()).isZero();
            assertThat(registry.get("skiff.producer.retries").functionCounter().count()).isZero();
            assertThat(registry.get("skiff.producer.bytes.sent").functionCounter().count()).isPositive();
            assertThat(registry.get("skiff.producer.batches.sent").functionCounter().count()).isPositive();
            assertThat(registry.get("skiff.producer.requests").functionCounter().count()).isPositive();

            assertThat(registry.get("skiff.producer.batch.size.avg").gauge().value()).isPositive();
            assertThat(registry.get("skiff.producer.compression.ratio").gauge().value()).isPositive();
            final Gauge p50 = registry.get("skiff.producer.request.latency").tag("quantile", "0.5").gauge();
            final Gauge p99 = registry.get("skiff.producer.request.latency").tag("quantile", "0.99").gauge();
            assertThat(p50.value()).isGreaterThanOrEqualTo(0.0);
            assertThat(p99.value()).isGreaterThanOrEqualTo(p50.value());
            assertThat(registry.get("skiff.producer.records.per.second").gauge().value()).isPositive();
            assertThat(registry.get("skiff.producer.bytes.per.second").gauge().value()).isPositive();
            // Every meter carries the caller's tags.
            assertThat(registry.getMeters()).hasSize(12)
                    .allSatisfy(m -> assertThat(m.getId().getTag("client.id")).isEqualTo("meter-test"));
        }
    }
}

package dev.skiff.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.Broker;
import dev.skiff.broker.BrokerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code skiff} command as a process through the {@code ./skiff} launcher: help, the demo end to end, a
 * produce/consume round trip cross-checked with Kafka's own Java clients, and the error cases (unreachable
 * broker, bad arguments).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SkiffCommandIT {
    private static final Duration RUN = Duration.ofSeconds(120);

    @TempDir
    static Path data;

    private static Broker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        // The launcher builds on first use when sources are newer than the jar; do it once, untimed.
        final SkiffLauncher.Run build = SkiffLauncher.run(Duration.ofMinutes(5), null, "--version");
        assertThat(build.exit()).as(build.toString()).isZero();
        broker = Broker.start(BrokerConfig.builder().logDir(data).listener("127.0.0.1", 0).build());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void helpAnswersQuicklyAndListsTheCommands() throws Exception {
        final SkiffLauncher.Run r = SkiffLauncher.run(RUN, null, "--help");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("demo", "broker", "topic", "produce", "consume", "perf");
        // Half a second on an idle machine; the bound leaves room for a loaded CI runner.
        assertThat(r.millis()).as("skiff --help wall time").isLessThan(3000);
    }

    @Test
    void demoRunsEndToEndAndChecksEveryRecord() throws Exception {
        final SkiffLauncher.Run r = SkiffLauncher.run(RUN, null, "demo", "--records", "100000");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("[6/6] Close", "OK   count: 100,000 of 100,000", "OK   offsets",
                "OK   checksum", "p99.9");
        assertThat(r.out()).as("plain lines when piped").doesNotContain("\r", "\u001b[");
        assertThat(r.err()).as("client commands log quietly").isEmpty();
    }

    @Test
    void producedLinesAreReadByKafkaConsumerAndKafkaProducedRecordsByConsume() throws Exception {
        final String b = broker.bootstrapServers();
        assertThat(SkiffLauncher.run(RUN, null, "topic", "create", "-b", b, "-t", "cli-rt", "-p", "1").exit())
                .isZero();
        final SkiffLauncher.Run produced = SkiffLauncher.run(RUN, "k1:hello\nk2:world\n", "produce", "-b", b,
                "-t", "cli-rt", "-K", ":", "-H", "origin=cli");
        assertThat(produced.exit()).as(produced.toString()).isZero();
        assertThat(produced.err()).contains("2 records sent to cli-rt");

        final List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = kafkaConsumer(b)) {
            final TopicPartition tp = new TopicPartition("cli-rt", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.key() + "=" + r.value() + " " + new String(r.headers().lastHeader("origin").value()));
                }
            }
        }
        assertThat(seen).containsExactly("k1=hello cli", "k2=world cli");

        try (KafkaProducer<String, String> producer = kafkaProducer(b)) {
            producer.send(new ProducerRecord<>("cli-rt", "k3", "from-kafka")).get(30, TimeUnit.SECONDS);
        }
        final SkiffLauncher.Run consumed = SkiffLauncher.run(RUN, null, "consume", "-b", b, "-t", "cli-rt",
                "--from-beginning", "-e", "--format", "%k %v %o %h");
        assertThat(consumed.exit()).as(consumed.toString()).isZero();
        assertThat(consumed.out().lines()).containsExactly("k1 hello 0 origin=cli", "k2 world 1 origin=cli",
                "k3 from-kafka 2 ");
    }

    @Test
    void perfProduceWritesAJsonResult() throws Exception {
        final SkiffLauncher.Run r = SkiffLauncher.run(RUN, null, "perf", "produce", "-b", broker.bootstrapServers(),
                "-t", "cli-perf", "--num-records", "50000", "--record-size", "100", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().trim()).startsWith("{\"topic\":\"cli-perf\",\"records\":50000,");
        assertThat(r.err()).contains("50000 records sent,", "ms 99.9th.");
    }

    @Test
    void unreachableBrokerIsOneLineWithinSecondsAndExitOne() throws Exception {
        final SkiffLauncher.Run r = SkiffLauncher.run(RUN, "x\n", "produce", "-b", "127.0.0.1:1", "-t", "x");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString()
                .startsWith("skiff produce: cannot reach a broker at 127.0.0.1:1");
        assertThat(r.millis()).isLessThan(5000);
    }

    @Test
    void badArgumentIsNamedWithUsageAndExitTwo() throws Exception {
        final SkiffLauncher.Run r = SkiffLauncher.run(RUN, null, "consume", "--topic", "t", "--bogus");
        assertThat(r.exit()).isEqualTo(2);
        // picocli's default: the bad option named, then usage or, when a close match exists, suggestions.
        assertThat(r.err()).contains("Unknown option: '--bogus'").containsAnyOf("Usage: skiff consume",
                "Possible solutions");
    }

    private static KafkaConsumer<String, String> kafkaConsumer(String bootstrap) {
        final Properties p = new Properties();
        p.putAll(Map.of("bootstrap.servers", bootstrap, "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", StringDeserializer.class.getName()));
        return new KafkaConsumer<>(p);
    }

    private static KafkaProducer<String, String> kafkaProducer(String bootstrap) {
        final Properties p = new Properties();
        p.putAll(Map.of("bootstrap.servers", bootstrap, "key.serializer", StringSerializer.class.getName(),
                "value.serializer", StringSerializer.class.getName()));
        return new KafkaProducer<>(p);
    }
}

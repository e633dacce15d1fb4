package dev.skiff.it;

import static dev.skiff.it.Brokers.CALL_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.Broker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kcat (librdkafka) against the broker: a C client with its own protocol versions and its own batch encoder,
 * so it catches what a Java-only test suite cannot. Skipped, with a message, where kcat is not installed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KcatIT {
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(60);
    private static Path kcat;

    @TempDir
    Path dataDir;

    private Broker broker;
    private Admin admin;

    @BeforeAll
    static void findKcat() {
        kcat = ExternalTools.onPath("kcat");
        Assumptions.assumeTrue(kcat != null,
                "kcat is not on PATH, so KcatIT is skipped; install kcat (e.g. apt-get install kcat) to run it");
    }


    @BeforeEach
    void startBroker() {
        broker = Brokers.start(dataDir);
        admin = Brokers.admin(broker);
    }

    @AfterEach
    void stopBroker() {
        Brokers.closeAll(admin, broker);
    }

    /** The outcome of one kcat run. */
    private record Result(int exitCode, String stdout, String stderr) {
        /** Stdout split into lines, without the empty string after the final newline. */
        List<String> lines() {
            final List<String> all = new ArrayList<>(Arrays.asList(stdout.split("\n", -1)));
            if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
                all.remove(all.size() - 1);
            }
            return all;
        }
    }

    /** Runs kcat with {@code args} against the broker, feeding {@code stdin}; kills it after the timeout. */
    private Result kcat(String stdin, String... args) throws Exception {
        final List<String> command = new ArrayList<>();
        command.add(kcat.toString());
        command.add("-b");
        command.add(broker.bootstrapServers());
        command.add("-m");
        command.add("15");
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).start();
        try {
            final CompletableFuture<String> out = drain(process.getInputStream());
            final CompletableFuture<String> err = drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("kcat " + String.join(" ", args) + " did not finish within "
                        + PROCESS_TIMEOUT);
            }
            final Result result = new Result(process.exitValue(),
                    out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
            assertThat(result.exitCode()).as("exit code of kcat %s; stderr:%n%s", String.join(" ", args),
                    result.stderr()).isZero();
            return result;
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream s = stream) {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static List<String> keyedLines(int count) {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add("key-" + i + ":value-" + i + " " + "payload".repeat(i % 9));
        }
        // Only the first delimiter splits: the rest belongs to the value.
        lines.add("colon:value:with:colons");
        return lines;
    }

    private static String asInput(List<String> lines) {
        return lines.stream().collect(Collectors.joining("\n", "", "\n"));
    }

    /** Lines as kcat prints them with {@code -f '%k=%s\n'}. */
    private static List<String> asKeyEqualsValue(List<String> lines) {
        return lines.stream().map(l -> l.replaceFirst(":", "=")).collect(Collectors.toList());
    }

    private void assertJavaConsumerReads(String topic, List<String> keyedLines) {
        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
            final List<ConsumerRecord<String, String>> records =
                    Brokers.readAll(consumer, Brokers.partitions(topic, 1), Duration.ofSeconds(60));
            assertThat(records).extracting(r -> r.key() + ":" + r.value()).containsExactlyElementsOf(keyedLines);
        }
    }

    @Test
    void keyedLinesProducedByKcatAreConsumedBackByKcatAndJava() throws Exception {
        final String topic = "kcat-lines";
        Brokers.createTopic(admin, topic, 1);
        final List<String> lines = keyedLines(200);

        kcat(asInput(lines), "-P", "-t", topic, "-K", ":");
        final Result consumed = kcat(null, "-C", "-q", "-t", topic, "-e", "-o", "beginning", "-f", "%k=%s\\n");

        assertThat(consumed.lines()).containsExactlyElementsOf(asKeyEqualsValue(lines));
        assertJavaConsumerReads(topic, lines);
    }

    @ParameterizedTest(name = "kcat -z {0}")
    @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
    void compressedBatchesFromLibrdkafkaReadBack(String codec) throws Exception {
        final String topic = "kcat-" + codec;
        Brokers.createTopic(admin, topic, 1);
        final List<String> lines = keyedLines(300);

        kcat(asInput(lines), "-P", "-t", topic, "-K", ":", "-z", codec);
        final Result consumed = kcat(null, "-C", "-q", "-t", topic, "-e", "-o", "beginning", "-f", "%k=%s\\n");

        assertThat(consumed.lines()).containsExactlyElementsOf(asKeyEqualsValue(lines));
        assertJavaConsumerReads(topic, lines);
    }

    @Test
    void recordsFromJavaProducerAreReadByKcatWithPartitionAndOffset() throws Exception {
        final String topic = "java-to-kcat";
        Brokers.createTopic(admin, topic, 2);
        final List<String> expected = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Brokers.producer(broker, Map.of())) {
            for (int i = 0; i < 20; i++) {
                final int partition = i % 2;
                final long offset = producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i))
                        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
                expected.add(partition + " " + offset + " k" + i + "=v" + i);
            }
        }

        final Result consumed = kcat(null, "-C", "-q", "-t", topic, "-e", "-o", "beginning", "-f",
                "%p %o %k=%s\\n");

        // kcat interleaves partitions as it pleases; compare as a set, and per partition in order.
        assertThat(consumed.lines()).containsExactlyInAnyOrderElementsOf(expected);
        for (String partition : List.of("0 ", "1 ")) {
            assertThat(consumed.lines().stream().filter(l -> l.startsWith(partition)).collect(Collectors.toList()))
                    .containsExactlyElementsOf(
                            expected.stream().filter(l -> l.startsWith(partition)).collect(Collectors.toList()));
        }
    }

    @Test
    void metadataListingShowsTheBrokerAndTopicLayout() throws Exception {
        Brokers.createTopic(admin, "listed", 3);

        final Result listing = kcat(null, "-L");

        final List<String> lines = listing.lines().stream().map(String::trim).collect(Collectors.toList());
        assertThat(lines).contains("1 brokers:");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("broker 1 at " + broker.bootstrapServers()));
        assertThat(lines).contains("topic \"listed\" with 3 partitions:");
        for (int p = 0; p < 3; p++) {
            assertThat(lines).contains("partition " + p + ", leader 1, replicas: 1, isrs: 1");
        }
    }
}

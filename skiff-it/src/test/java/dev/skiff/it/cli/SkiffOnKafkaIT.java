package dev.skiff.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.kafkapeer.KafkaCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code skiff} client commands run in-process against one Apache Kafka 4.4 node: the topic lifecycle, a
 * produce/consume round trip with keys, headers and each value format, keyed records placed as Kafka's own
 * partitioner would place them, perf produce's JSON result, the demo with {@code --bootstrap-server}, and an
 * unreachable broker; plus produce and consume as processes through the {@code ./skiff} launcher. Every client
 * command must work against Kafka as well as Skiff, so these are the same flows the skiff-cli tests run on an
 * embedded Skiff broker.
 *
 * <p>Kafka applies some admin changes asynchronously (topic deletion, new partitions reaching the metadata cache),
 * so the checks that follow those changes poll until the expected output shows up instead of asserting at once.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SkiffOnKafkaIT {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final String AVRO_SCHEMA = "{\"type\":\"record\",\"name\":\"Order\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"item\",\"type\":\"string\"}]}";

    @TempDir
    static Path dir;

    private static KafkaCluster kafka;
    private static String bootstrap;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaCluster.start(1);
        bootstrap = kafka.bootstrapServers();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void topicCreateListDescribeAlterDeleteLifecycle() {
        InProcessSkiff.Result r = skiff("topic", "create", "-b", bootstrap, "-t", "life", "-p", "3",
                "-c", "retention.ms=3600000");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Created topic life with 3 partitions.");

        r = skiff("topic", "list", "-b", bootstrap);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines()).contains("life");

        r = skiff("topic", "describe", "-b", bootstrap, "-t", "life");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Topic: life", "PartitionCount: 3", "retention.ms=3600000", "Partition: 2",
                "StartOffset: 0", "EndOffset: 0");

        r = skiff("topic", "alter", "-b", bootstrap, "-t", "life", "-p", "4");
        assertThat(r.exit()).as(r.toString()).isZero();
        awaitOutput(() -> skiff("topic", "describe", "-b", bootstrap, "-t", "life"),
                d -> d.out().contains("PartitionCount: 4") && d.out().contains("Partition: 3"));

        r = skiff("topic", "alter", "-b", bootstrap, "-t", "life", "-c", "segment.bytes=1048576", "-d",
                "retention.ms");
        assertThat(r.exit()).as(r.toString()).isZero();
        awaitOutput(() -> skiff("topic", "describe", "-b", bootstrap, "-t", "life"),
                d -> d.out().contains("segment.bytes=1048576") && !d.out().contains("retention.ms=3600000"));

        final InProcessSkiff.Result again = skiff("topic", "create", "-b", bootstrap, "-t", "life", "-p", "1");
        assertThat(again.exit()).as(again.toString()).isEqualTo(1);
        assertThat(again.err().lines()).hasSize(1).first().asString().startsWith("skiff topic create: ")
                .contains("already exists");

        r = skiff("topic", "delete", "-b", bootstrap, "-t", "life");
        assertThat(r.exit()).as(r.toString()).isZero();
        awaitOutput(() -> skiff("topic", "list", "-b", bootstrap), l -> l.exit() == 0 && !l.out().lines()
                .toList().contains("life"));

        final InProcessSkiff.Result gone = skiff("topic", "delete", "-b", bootstrap, "-t", "never-was");
        assertThat(gone.exit()).as(gone.toString()).isEqualTo(1);
        assertThat(gone.err()).contains("does not exist");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void textRoundTripKeepsKeysHeadersAndOffsets() throws IOException {
        createTopic("text-rt", 1);
        final Path in = Files.writeString(dir.resolve("text.txt"), "k1:hello\nk2:world\nk3:again\n");
        final InProcessSkiff.Result produced = skiff("produce", "-b", bootstrap, "-t", "text-rt", "-f",
                in.toString(), "-K", ":", "-H", "lang=en", "-H", "src=test", "--acks", "all", "--compression", "lz4");
        assertThat(produced.exit()).as(produced.toString()).isZero();
        assertThat(produced.err()).contains("3 records sent to text-rt", "0 errors");

        final InProcessSkiff.Result consumed = skiff("consume", "-b", bootstrap, "-t", "text-rt",
                "--from-beginning", "-e", "--format", "%k=%v p%p o%o [%h] %K/%S %t");
        assertThat(consumed.exit()).as(consumed.toString()).isZero();
        assertThat(consumed.out().lines()).containsExactly(
                "k1=hello p0 o0 [lang=en,src=test] 2/5 text-rt",
                "k2=world p0 o1 [lang=en,src=test] 2/5 text-rt",
                "k3=again p0 o2 [lang=en,src=test] 2/5 text-rt");
        assertThat(consumed.err()).contains("Processed a total of 3 messages");

        assertThat(skiff("consume", "-b", bootstrap, "-t", "text-rt", "--offset", "1", "-e").out().lines())
                .containsExactly("world", "again");
        assertThat(skiff("consume", "-b", bootstrap, "-t", "text-rt", "--timestamp", "0", "-e").out().lines())
                .containsExactly("hello", "world", "again");
        assertThat(skiff("topic", "describe", "-b", bootstrap, "-t", "text-rt").out()).contains("EndOffset: 3");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void keyedRecordsLandWhereKafkasPartitionerPutsThemAndPartitionSelectsOne() throws IOException {
        createTopic("keyed", 3);
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            lines.append("key-").append(i).append('=').append("v").append(i).append('\n');
        }
        final Path in = Files.writeString(dir.resolve("keyed.txt"), lines);
        final InProcessSkiff.Result produced = skiff("produce", "-b", bootstrap, "-t", "keyed", "-f", in.toString(),
                "-K", "=");
        assertThat(produced.exit()).as(produced.toString()).isZero();

        final InProcessSkiff.Result consumed = skiff("consume", "-b", bootstrap, "-t", "keyed", "--from-beginning",
                "-e", "--format", "%k %p");
        assertThat(consumed.exit()).as(consumed.toString()).isZero();
        assertThat(consumed.out().lines()).hasSize(30);
        // Kafka's default partitioner for a keyed record: murmur2 of the key bytes, made positive, modulo the count.
        // Skiff's producer must agree, or keyed data written by one client is split from the other's.
        final Map<String, Integer> expected = new TreeMap<>();
        for (int i = 0; i < 30; i++) {
            final byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            expected.put("key-" + i, Utils.toPositive(Utils.murmur2(key)) % 3);
        }
        final Map<String, Integer> actual = new TreeMap<>();
        consumed.out().lines().map(l -> l.split(" ")).forEach(f -> actual.put(f[0], Integer.parseInt(f[1])));
        assertThat(actual).isEqualTo(expected);

        final long onOne = expected.values().stream().filter(p -> p == 1).count();
        final InProcessSkiff.Result one = skiff("consume", "-b", bootstrap, "-t", "keyed", "--partition", "1",
                "--from-beginning", "-e", "--format", "%p");
        assertThat(one.exit()).as(one.toString()).isZero();
        assertThat(one.out().lines()).hasSize((int) onOne).containsOnly("1");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void jsonRoundTripCompactsValuesAndRejectsInvalidLines() throws IOException {
        createTopic("json-rt", 1);
        final Path in = Files.writeString(dir.resolve("docs.json"), "{ \"a\" : 1 }\n{not json\n[1, 2]\n");
        final InProcessSkiff.Result produced = skiff("produce", "-b", bootstrap, "-t", "json-rt", "-f",
                in.toString(), "--format", "json", "-H", "kind=json");
        assertThat(produced.exit()).as(produced.toString()).isEqualTo(1);
        assertThat(produced.err()).contains("2 records sent", "1 errors", "line 2: not valid JSON");

        final InProcessSkiff.Result consumed = skiff("consume", "-b", bootstrap, "-t", "json-rt", "--from-beginning",
                "-e", "--format", "%v %h");
        assertThat(consumed.exit()).as(consumed.toString()).isZero();
        assertThat(consumed.out().lines()).containsExactly("{\"a\":1} kind=json", "[1,2] kind=json");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void avroRoundTripEncodesWithTheSchemaFile() throws IOException {
        createTopic("avro-rt", 1);
        final Path schema = Files.writeString(dir.resolve("order.avsc"), AVRO_SCHEMA);
        final Path in = Files.writeString(dir.resolve("orders.json"),
                "o1|{\"id\": 7, \"item\": \"tea\"}\no2|{\"id\": \"x\"}\no3|{\"id\": 8, \"item\": \"jam\"}\n");
        final InProcessSkiff.Result produced = skiff("produce", "-b", bootstrap, "-t", "avro-rt", "-f",
                in.toString(), "-K", "|", "--format", "avro", "--schema", schema.toString());
        assertThat(produced.exit()).as(produced.toString()).isEqualTo(1);
        assertThat(produced.err()).contains("2 records sent", "1 errors", "line 2: does not match Avro schema Order");

        final InProcessSkiff.Result consumed = skiff("consume", "-b", bootstrap, "-t", "avro-rt", "--from-beginning",
                "-e", "--value-format", "avro", "--schema", schema.toString(), "--format", "%k %v");
        assertThat(consumed.exit()).as(consumed.toString()).isZero();
        assertThat(consumed.out().lines()).containsExactly("o1 {\"id\": 7, \"item\": \"tea\"}",
                "o3 {\"id\": 8, \"item\": \"jam\"}");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void perfProduceWritesAJsonResultAndPerfConsumeReadsItBack() throws Exception {
        final InProcessSkiff.Result r = skiff("perf", "produce", "-b", bootstrap, "-t", "perf-kafka",
                "--num-records", "20000", "--record-size", "100", "--throughput", "-1", "--producer-props", "acks=all",
                "linger.ms=5", "batch.size=65536", "--json", "--progress", "plain");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("20000 records sent,", "records/sec", "MB/sec", "ms avg latency", "ms 99.9th");
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("topic").asText()).isEqualTo("perf-kafka");
        assertThat(json.get("records").asLong()).isEqualTo(20000);
        assertThat(json.get("errors").asLong()).isZero();
        assertThat(json.get("bytes").asLong()).isEqualTo(2_000_000);
        assertThat(json.get("p99Ms").asDouble()).isPositive();
        assertThat(json.get("producerConfig").get("acks").asText()).isIn("all", "-1");

        final InProcessSkiff.Result read = skiff("perf", "consume", "-b", bootstrap, "-t", "perf-kafka",
                "--messages", "20000", "--json");
        assertThat(read.exit()).as(read.toString()).isZero();
        final JsonNode consumed = new ObjectMapper().readTree(read.out());
        assertThat(consumed.get("records").asLong()).isEqualTo(20000);
        assertThat(consumed.get("bytes").asLong()).isEqualTo(2_000_000);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void demoRunsTheWholeFlowAgainstKafka() {
        final InProcessSkiff.Result r = skiff("demo", "--records", "20000", "--bootstrap-server", bootstrap,
                "--progress", "plain");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("[1/6] Broker", "using the cluster at " + bootstrap)
                .contains("[2/6] Topic", "created 'orders' with 6 partitions")
                .contains("[3/6] Producer", "acks", "batch.size")
                .contains("[4/6] Send", "sent 20,000 records", "topic=orders partition=")
                .contains("records per partition", "p50", "p99.9", "max")
                .contains("[5/6] Consumer", "OK   count: 20,000 of 20,000", "OK   offsets", "OK   checksum")
                .contains("[6/6] Close");
        for (int p = 0; p < 6; p++) {
            assertThat(r.out()).contains("orders-" + p + " ");
        }
        assertThat(r.out()).doesNotContain("\u001b[");
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void launcherProcessesProduceAndConsumeAgainstKafka() throws Exception {
        // ./skiff rebuilds its jar when sources are newer; let that happen once, untimed, as SkiffCommandIT does.
        final SkiffLauncher.Run build = SkiffLauncher.run(Duration.ofMinutes(5), null, "--version");
        assertThat(build.exit()).as(build.toString()).isZero();

        final Duration run = Duration.ofSeconds(60);
        final SkiffLauncher.Run created = SkiffLauncher.run(run, null, "topic", "create", "-b", bootstrap, "-t",
                "launched", "-p", "2");
        assertThat(created.exit()).as(created.toString()).isZero();
        final SkiffLauncher.Run produced = SkiffLauncher.run(run, "a:1\nb:2\n", "produce", "-b", bootstrap, "-t",
                "launched", "-K", ":", "-H", "via=launcher");
        assertThat(produced.exit()).as(produced.toString()).isZero();
        assertThat(produced.err()).contains("2 records sent to launched");

        final SkiffLauncher.Run consumed = SkiffLauncher.run(run, null, "consume", "-b", bootstrap, "-t", "launched",
                "--from-beginning", "-e", "--format", "%k %v %h");
        assertThat(consumed.exit()).as(consumed.toString()).isZero();
        assertThat(consumed.out().lines()).containsExactlyInAnyOrder("a 1 via=launcher", "b 2 via=launcher");
        assertThat(consumed.out()).as("plain lines when piped").doesNotContain("\u001b[");
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void unreachableBrokerIsOneClearLineWithinSecondsForEveryClientCommand() throws IOException {
        final String closed = "127.0.0.1:1";
        final Path in = Files.writeString(dir.resolve("one.txt"), "x\n");
        final String[][] commands = {
            {"topic", "list", "-b", closed},
            {"produce", "-b", closed, "-t", "x", "-f", in.toString()},
            {"consume", "-b", closed, "-t", "x"},
            {"perf", "produce", "-b", closed, "-t", "x", "-n", "5", "-s", "1"},
            {"demo", "-b", closed},
        };
        for (final String[] command : commands) {
            final String name = command[0].equals("topic") || command[0].equals("perf")
                    ? command[0] + " " + command[1] : command[0];
            final long t0 = System.nanoTime();
            final InProcessSkiff.Result r = skiff(command);
            assertThat(r.exit()).as(name + ": " + r).isEqualTo(1);
            assertThat(r.err().lines()).as(name + ": " + r).hasSize(1).first().asString()
                    .startsWith("skiff " + name + ": cannot reach a broker at " + closed);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as(name).isLessThan(5000);
        }
    }

    private static InProcessSkiff.Result skiff(final String... args) {
        return InProcessSkiff.run(args);
    }

    private static void createTopic(final String topic, final int partitions) {
        final InProcessSkiff.Result r = skiff("topic", "create", "-b", bootstrap, "-t", topic, "-p",
                String.valueOf(partitions));
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    /** Reruns a command until its result satisfies {@code done}, failing with the last result after a while. */
    private static void awaitOutput(final Supplier<InProcessSkiff.Result> command,
            final Predicate<InProcessSkiff.Result> done) {
        final long deadline = System.nanoTime() + SETTLE.toNanos();
        InProcessSkiff.Result last = command.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            // Kafka propagates the change within a metadata round; poll at a modest pace rather than spin.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            last = command.get();
        }
        assertThat(done.test(last)).as("command output never settled; last run:\n%s", last).isTrue();
    }
}

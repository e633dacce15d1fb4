package dev.skiff.it.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.Broker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own tools (kafka-tools 4.4, run as child JVMs from the kafka-peer libraries) against Skiff's
 * coordinator: ConsumerPerformance consumes a topic with a group to completion, then ConsumerGroupCommand
 * lists the group and describes it with its lag.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaGroupToolsIT {
    private static final int RECORDS = 20_000;

    @TempDir
    Path dir;

    @TempDir
    Path work;

    private Broker broker;

    @AfterEach
    void tearDown() {
        GroupClients.closeAll(broker);
    }

    /** What a tool run printed. */
    private record Run(String stdout, String stderr) {
    }

    /** Runs a kafka-tools main class in a child JVM and returns its output once it exits with status 0. */
    private Run tool(String mainClass, String... args) throws Exception {
        final String libs = System.getProperty("kafka.peer.libs");
        Assumptions.assumeTrue(libs != null && Files.isDirectory(Path.of(libs)),
                "kafka.peer.libs is not set or missing; build kafka-peer to run KafkaGroupToolsIT");
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", libs + "/*",
                mainClass));
        command.addAll(List.of(args));
        final Path err = Files.createTempFile(work, "stderr", ".txt");
        final Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        try {
            // stderr goes to a file, so reading stdout to its end cannot deadlock on a full stderr pipe.
            final String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            final String stderr = Files.readString(err);
            assertThat(process.exitValue()).as("%s stdout: %s%nstderr: %s", mainClass, stdout, stderr).isZero();
            return new Run(stdout, stderr);
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void consumerPerformanceRunsToCompletionAndConsumerGroupCommandShowsTheLag() throws Exception {
        broker = GroupClients.start(dir, 0);
        GroupClients.createTopic(broker, "perf", 3);
        GroupClients.produce(broker, "perf", 3, 0, RECORDS);
        final Run perf = tool("org.apache.kafka.tools.ConsumerPerformance",
                "--bootstrap-server", broker.bootstrapServers(),
                "--topic", "perf",
                "--group", "perf-group",
                "--num-records", Integer.toString(RECORDS),
                "--timeout", "30000");
        final List<String> lines = perf.stdout().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("stdout: %s", perf.stdout()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(lines.get(0)).contains("data.consumed.in.nMsg");
        // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, ...
        final String[] row = lines.get(lines.size() - 1).split(",\\s*");
        assertThat(Long.parseLong(row[4].trim())).as("stdout: %s", perf.stdout()).isEqualTo(RECORDS);
        try (Admin admin = GroupClients.admin(broker)) {
            final long committed = admin.listConsumerGroupOffsets("perf-group").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            assertThat(committed).isEqualTo(RECORDS);
        }

        GroupClients.produce(broker, "perf", 3, RECORDS, 30);
        final Run list = tool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
                "--bootstrap-server", broker.bootstrapServers(), "--list");
        assertThat(list.stdout().lines().map(String::trim)).contains("perf-group");
        final Run describe = tool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
                "--bootstrap-server", broker.bootstrapServers(), "--describe", "--group", "perf-group");
        // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
        final List<String[]> rows = describe.stdout().lines().map(String::trim)
                .filter(l -> l.startsWith("perf-group ")).map(l -> l.split("\\s+")).toList();
        assertThat(rows).as("describe output: %s", describe.stdout()).hasSize(3);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r[1]).isEqualTo("perf");
            assertThat(Long.parseLong(r[4]) - Long.parseLong(r[3])).isEqualTo(10);
            assertThat(r[5]).isEqualTo("10");
        });
    }
}

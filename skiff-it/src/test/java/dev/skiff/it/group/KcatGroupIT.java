package dev.skiff.it.group;

import static dev.skiff.it.group.GroupClients.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.Broker;
import dev.skiff.it.ExternalTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kcat -G (librdkafka's balanced consumer, its own protocol versions and its own assignor) against the
 * coordinator: two members split four partitions and read every record exactly once. Skipped, with a
 * message, where kcat is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KcatGroupIT {
    private static final int PARTITIONS = 4;
    private static final int RECORDS = 400;
    private static Path kcat;

    @TempDir
    Path dir;

    private Broker broker;
    private KcatMember a;
    private KcatMember b;

    @BeforeAll
    static void findKcat() {
        kcat = ExternalTools.onPath("kcat");
        Assumptions.assumeTrue(kcat != null, "kcat is not on PATH, so KcatGroupIT is skipped; install kcat to run it");
    }

    @AfterEach
    void tearDown() {
        GroupClients.closeAll(a, b, broker);
    }

    /** One kcat -G process; each output line is "partition value". */
    private final class KcatMember implements AutoCloseable {
        final Process process;
        final Set<String> values = ConcurrentHashMap.newKeySet();
        final Set<Integer> partitions = ConcurrentHashMap.newKeySet();
        final StringBuilder stderr = new StringBuilder();

        KcatMember(String group, String topic) throws IOException {
            process = new ProcessBuilder(kcat.toString(), "-b", broker.bootstrapServers(), "-G", group,
                    "-X", "auto.offset.reset=earliest", "-X", "session.timeout.ms=10000", "-u",
                    "-f", "%p %s\\n", topic).start();
            reader(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        final int space = line.indexOf(' ');
                        if (space > 0) {
                            partitions.add(Integer.parseInt(line.substring(0, space)));
                            values.add(line.substring(space + 1));
                        }
                    }
                }
            });
            reader(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (stderr) {
                            stderr.append(line).append('\n');
                        }
                    }
                }
            });
        }

        private void reader(IoTask task) {
            final Thread t = new Thread(() -> {
                try {
                    task.run();
                } catch (IOException | RuntimeException e) {
                    // The process ended; what was read so far is what the assertions see.
                }
            }, "kcat-reader");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            // SIGTERM: kcat leaves the group and exits.
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @FunctionalInterface
    private interface IoTask {
        void run() throws IOException;
    }

    @Test
    void twoKcatMembersSplitThePartitionsAndReadEveryRecordOnce() throws Exception {
        broker = GroupClients.start(dir, 3_000);
        GroupClients.createTopic(broker, "kcat-group", PARTITIONS);
        GroupClients.produce(broker, "kcat-group", PARTITIONS, 0, RECORDS);
        a = new KcatMember("kcat-g", "kcat-group");
        b = new KcatMember("kcat-g", "kcat-group");
        final Set<String> all = new HashSet<>();
        await(Duration.ofSeconds(60), "both kcat members to read all records", () -> {
            all.clear();
            all.addAll(a.values);
            all.addAll(b.values);
            return all.size() == RECORDS;
        });
        assertThat(a.values.size() + b.values.size()).as("no record read twice").isEqualTo(RECORDS);
        assertThat(a.partitions).as("stderr of a: %s", a.stderr).hasSize(PARTITIONS / 2);
        assertThat(b.partitions).as("stderr of b: %s", b.stderr).hasSize(PARTITIONS / 2);
        assertThat(a.partitions).doesNotContainAnyElementsOf(b.partitions);
        assertThat(List.copyOf(all)).hasSize(RECORDS);
    }
}

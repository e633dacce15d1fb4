package dev.skiff.kafkapeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Starts real Apache Kafka nodes; the skiff-it ApacheKafkaClusterIT covers clients and fail-over on top. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KafkaClusterTest {
    @TempDir
    Path parent;

    @Test
    void nodeComesBackOnTheSamePortAfterKillAndAfterCleanStop() throws Exception {
        final Path directory;
        final long firstPid;
        try (KafkaCluster kafka = KafkaCluster.builder().nodes(1).parentDirectory(parent).start()) {
            directory = kafka.directory();
            firstPid = kafka.pid(1);
            final String address = kafka.bootstrapServer(1);
            assertThat(kafka.bootstrapServers()).isEqualTo(address);
            assertThat(firstPid).isPositive();
            assertThat(clusterNodeIds(kafka)).containsExactly(1);
            final int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            assertThat(StartupProbe.await("127.0.0.1", port, System.currentTimeMillis(), Duration.ofSeconds(30),
                    () -> true).readyMillis()).isNotNegative();

            kafka.killBroker(1);
            assertThat(kafka.isRunning(1)).isFalse();
            assertThat(kafka.pid(1)).isEqualTo(-1);
            assertThat(accepts(address)).isFalse();

            kafka.startBroker(1);
            assertThat(kafka.isRunning(1)).isTrue();
            assertThat(kafka.bootstrapServer(1)).isEqualTo(address);
            assertThat(clusterNodeIds(kafka)).containsExactly(1);

            kafka.stopBroker(1);
            assertThat(kafka.isRunning(1)).isFalse();
            assertThat(Files.readString(kafka.logFile(1))).contains("[BrokerServer id=1] shut down completed");

            kafka.startBroker(1);
            assertThat(clusterNodeIds(kafka)).containsExactly(1);
        }
        assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive)).isIn(Optional.empty(),
                Optional.of(false));
        assertThat(directory).doesNotExist();
    }

    @Test
    void failedStartReportsKafkasOwnErrorAndLeavesNothingBehind() {
        assertThatThrownBy(() -> KafkaCluster.builder().nodes(1).parentDirectory(parent)
                .brokerConfig("num.io.threads", "zero").start())
                .isInstanceOf(KafkaPeerException.class)
                .hasMessageContaining("exit status")
                .hasMessageContaining("--- last 40 lines of ")
                .hasMessageContaining("num.io.threads");

        assertThat(parent).isEmptyDirectory();
    }

    @Test
    void brokerThatDiesDuringStartUpIsReportedWithItsServerLog() {
        assertThatThrownBy(() -> KafkaCluster.builder().nodes(1).parentDirectory(parent)
                .jvmOptions(List.of("-Xmx256m", "-XX:+NoSuchOptionForKafkaPeerTest")).start())
                .isInstanceOf(KafkaPeerException.class)
                .hasMessageContaining("node 1 (127.0.0.1:")
                .hasMessageContaining("exited with status 1 during start-up")
                .hasMessageContaining("server.log ---")
                .hasMessageContaining("NoSuchOptionForKafkaPeerTest");

        assertThat(parent).isEmptyDirectory();
    }

    private static List<Integer> clusterNodeIds(final KafkaCluster kafka) throws Exception {
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id).sorted()
                    .toList();
        }
    }

    private static boolean accepts(final String address) {
        final int colon = address.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

package dev.skiff.kafkapeer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
    private static final List<NodeConfig.Node> THREE = List.of(new NodeConfig.Node(1, 9001, 9101),
            new NodeConfig.Node(2, 9002, 9102), new NodeConfig.Node(3, 9003, 9103));

    @Test
    void everyNodeNamesTheWholeStaticQuorumAndListensOnLoopbackOnly() {
        final Map<String, String> config = NodeConfig.render(THREE.get(1), THREE, Path.of("/data"), false, Map.of());

        assertThat(config).containsEntry("node.id", "2")
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9002,CONTROLLER://127.0.0.1:9102")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9002")
                .containsEntry("controller.listener.names", "CONTROLLER")
                .containsEntry("log.dirs", Path.of("/data").toAbsolutePath().toString())
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2")
                .doesNotContainKey("group.initial.rebalance.delay.ms");
    }

    @Test
    void singleNodeCapsInternalTopicReplicationAtOne() {
        final List<NodeConfig.Node> one = List.of(new NodeConfig.Node(1, 9001, 9101));

        final Map<String, String> config = NodeConfig.render(one.get(0), one, Path.of("/data"), false, Map.of());

        assertThat(config).containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("share.coordinator.state.topic.min.isr", "1");
    }

    @Test
    void callerOverridesWinOverTestTuning() {
        final Map<String, String> config = NodeConfig.render(THREE.get(0), THREE, Path.of("/data"), true,
                Map.of("broker.session.timeout.ms", "9000", "num.io.threads", "2"));

        assertThat(config).containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("broker.session.timeout.ms", "9000")
                .containsEntry("num.io.threads", "2");
    }

    @Test
    void writtenFileReadsBackAsTheSameProperties(@TempDir final Path dir) throws IOException {
        final Map<String, String> config = Map.of("log.dirs", "/tmp/dir with space/and\\slash/é",
                "leading", " blank");
        final Path file = dir.resolve("server.properties");

        NodeConfig.write(file, config);

        final Properties loaded = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            loaded.load(reader);
        }
        assertThat(loaded).containsExactlyInAnyOrderEntriesOf(config);
    }
}

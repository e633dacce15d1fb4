package dev.skiff.kafkapeer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders the {@code server.properties} of one KRaft node that is both broker and controller.
 *
 * <p>Every node listens on loopback only: {@code PLAINTEXT} for clients and replication, {@code CONTROLLER} for the
 * Raft quorum. The quorum is static ({@code controller.quorum.voters}) because the node set is fixed for the life
 * of a cluster, which keeps formatting to one flag-free command per node.
 *
 * <p>Three layers, later ones win: the settings a cluster of this size needs (internal topics cannot be
 * replicated to more nodes than exist), the optional {@link #testTuning() test tuning}, then the caller's
 * overrides.
 */
final class NodeConfig {
    static final String HOST = "127.0.0.1";
    static final String CLIENT_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private NodeConfig() {
    }

    /** Identity and ports of one node. */
    record Node(int nodeId, int brokerPort, int controllerPort) {
        String brokerAddress() {
            return HOST + ":" + brokerPort;
        }

        String voter() {
            return nodeId + "@" + HOST + ":" + controllerPort;
        }
    }

    /**
     * Settings that make small test clusters start, rebalance and fail over faster than Kafka's production
     * defaults, without changing any guarantee a test asserts.
     */
    static Map<String, String> testTuning() {
        final Map<String, String> tuning = new LinkedHashMap<>();
        // The first consumer group otherwise waits 3 s for more members to join.
        tuning.put("group.initial.rebalance.delay.ms", "0");
        // 50 partitions x 3 replicas of __consumer_offsets take seconds to create on 2 cores; tests use few groups.
        tuning.put("offsets.topic.num.partitions", "5");
        tuning.put("transaction.state.log.num.partitions", "5");
        tuning.put("share.coordinator.state.topic.num.partitions", "5");
        // A killed node is fenced, and its partitions move, after the session timeout (default 9 s).
        tuning.put("broker.heartbeat.interval.ms", "500");
        tuning.put("broker.session.timeout.ms", "4000");
        return tuning;
    }

    static Map<String, String> render(final Node node, final List<Node> quorum, final Path dataDir,
            final boolean testTuning, final Map<String, String> overrides) {
        final int size = quorum.size();
        final Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(node.nodeId()));
        config.put("controller.quorum.voters", quorum.stream().map(Node::voter).collect(Collectors.joining(",")));
        config.put("listeners", CLIENT_LISTENER + "://" + node.brokerAddress() + "," + CONTROLLER_LISTENER + "://"
                + HOST + ":" + node.controllerPort());
        config.put("advertised.listeners", CLIENT_LISTENER + "://" + node.brokerAddress());
        config.put("listener.security.protocol.map",
                CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        config.put("controller.listener.names", CONTROLLER_LISTENER);
        config.put("inter.broker.listener.name", CLIENT_LISTENER);
        config.put("log.dirs", dataDir.toAbsolutePath().toString());
        config.put("offsets.topic.replication.factor", Integer.toString(Math.min(3, size)));
        config.put("transaction.state.log.replication.factor", Integer.toString(Math.min(3, size)));
        config.put("transaction.state.log.min.isr", Integer.toString(Math.min(2, size)));
        config.put("share.coordinator.state.topic.replication.factor", Integer.toString(Math.min(3, size)));
        config.put("share.coordinator.state.topic.min.isr", Integer.toString(Math.min(2, size)));
        if (testTuning) {
            config.putAll(testTuning());
        }
        config.putAll(overrides);
        return config;
    }

    /** Writes {@code config} as a properties file in insertion order, so it reads like a hand-written one. */
    static void write(final Path file, final Map<String, String> config) {
        final StringBuilder text = new StringBuilder("# Written by dev.skiff.kafkapeer for Apache Kafka\n");
        config.forEach((key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
        try {
            Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Escapes a value the way {@link java.util.Properties#load(java.io.InputStream)} reads it back: Kafka loads the
     * file as ISO-8859-1, so anything outside printable ASCII becomes a unicode escape.
     */
    static String escape(final String value) {
        final StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == ' ' && i == 0) {
                out.append("\\ ");
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

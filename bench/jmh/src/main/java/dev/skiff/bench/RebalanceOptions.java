package dev.skiff.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Command-line options of {@link RebalanceTimer}.
 *
 * <pre>
 * --bootstrap HOST:PORT     broker (required)
 * --topic NAME              topic the members subscribe to; created with --partitions if absent
 *                           (default rebalance-bench)
 * --partitions N            partitions when creating the topic (default 12)
 * --iterations N            measured iterations, each on a fresh group (default 10)
 * --warmup N                iterations run first and not counted (default 1)
 * --protocol P              classic (JoinGroup/SyncGroup, range assignor) or consumer (KIP-848
 *                           ConsumerGroupHeartbeat, group.remote.assignor=range) (default classic)
 * --heartbeat-ms N          classic only: heartbeat.interval.ms of every member (default 3000, Kafka's)
 * --session-timeout-ms N    classic only: session.timeout.ms of every member (default 45000, Kafka's)
 * --poll-ms N               timeout of each member's poll loop (default 10)
 * --timeout-ms N            how long one step may take before the run fails (default 60000)
 * --set key=value           an extra consumer setting for every member (repeatable)
 * </pre>
 */
final class RebalanceOptions {
    String bootstrap;
    String topic = "rebalance-bench";
    int partitions = 12;
    int iterations = 10;
    int warmup = 1;
    String protocol = "classic";
    int heartbeatMs = 3000;
    int sessionTimeoutMs = 45_000;
    long pollMs = 10;
    long timeoutMs = 60_000;
    final Map<String, String> settings = new LinkedHashMap<>();

    static RebalanceOptions parse(String[] args) {
        final RebalanceOptions o = new RebalanceOptions();
        OptionArgs.forEach(args, (a, v) -> {
            switch (a) {
                case "--bootstrap" -> o.bootstrap = v;
                case "--topic" -> o.topic = v;
                case "--partitions" -> o.partitions = Integer.parseInt(v);
                case "--iterations" -> o.iterations = Integer.parseInt(v);
                case "--warmup" -> o.warmup = Integer.parseInt(v);
                case "--protocol" -> o.protocol = v;
                case "--heartbeat-ms" -> o.heartbeatMs = Integer.parseInt(v);
                case "--session-timeout-ms" -> o.sessionTimeoutMs = Integer.parseInt(v);
                case "--poll-ms" -> o.pollMs = Long.parseLong(v);
                case "--timeout-ms" -> o.timeoutMs = Long.parseLong(v);
                case "--set" -> OptionArgs.putSetting(o.settings, v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        });
        if (o.bootstrap == null) {
            throw new IllegalArgumentException("--bootstrap is required");
        }
        if (!o.protocol.equals("classic") && !o.protocol.equals("consumer")) {
            throw new IllegalArgumentException("--protocol is classic or consumer, got " + o.protocol);
        }
        // Three members must each get a partition, or "all three own a non-empty assignment" never happens.
        if (o.partitions < 3 || o.iterations < 1 || o.warmup < 0) {
            throw new IllegalArgumentException("--partitions must be >= 3, --iterations >= 1, --warmup >= 0");
        }
        return o;
    }

    /** The consumer settings every member gets; group.id is added per group. */
    Map<String, Object> consumerSettings() {
        final Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrap);
        // Nothing is consumed or committed: close() must not add a commit round trip to the leave.
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        props.put("group.protocol", protocol);
        if (protocol.equals("classic")) {
            // Range only: Kafka 4's default list also names cooperative-sticky, which would make it incremental.
            props.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor");
            props.put("heartbeat.interval.ms", Integer.toString(heartbeatMs));
            props.put("session.timeout.ms", Integer.toString(sessionTimeoutMs));
        } else {
            // KIP-848: the broker assigns and sets the heartbeat interval; only the assignor can be asked for.
            props.put("group.remote.assignor", "range");
        }
        props.putAll(settings);
        return props;
    }
}

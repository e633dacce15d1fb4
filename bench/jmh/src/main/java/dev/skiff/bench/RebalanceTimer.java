package dev.skiff.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Times consumer-group rebalances against a broker with kafka-clients KafkaConsumers, for bench/group-bench.sh.
 *
 * <p>Each iteration uses a fresh group on one topic and measures three steps, each from its trigger to the
 * rebalance callback after which the members own a complete, balanced assignment (see
 * {@link AssignmentBoard}):
 * <pre>
 *   formation  3 members subscribe together      -> all 3 own partitions
 *   leave      1 of 3 closes (LeaveGroup)        -> the other 2 own every partition
 *   join       a 4th member subscribes to the 2  -> all 3 own partitions
 * </pre>
 * A member that leaves is only known to the others at their next heartbeat (classic protocol) or
 * ConsumerGroupHeartbeat (KIP-848), so {@code leave} and {@code join} include up to one heartbeat interval:
 * the heartbeat setting is part of every figure and is printed with it. As each step starts right after the
 * previous rebalance, whose end reset the members' heartbeat timers, that wait is close to a full interval.
 * {@code leave_rejoin} and {@code join_rejoin} time the same rebalances from the first callback in which a
 * remaining member gave up or got a partition (it had learned of the rebalance) to the settled state: the
 * rebalance round without the heartbeat wait.
 *
 * <p>Prints one {@code ITER} line per measured iteration and one {@code RESULT} line per step with the
 * median, p90 (nearest rank) and maximum in milliseconds; exits 1 if any step failed or timed out.
 */
public final class RebalanceTimer {
    private static final String[] STEPS = {"formation", "leave", "leave_rejoin", "join", "join_rejoin"};

    private RebalanceTimer() {
    }

    public static void main(String[] args) throws Exception {
        final RebalanceOptions o;
        try {
            o = RebalanceOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("RebalanceTimer: " + e.getMessage() + " (see RebalanceOptions for the options)");
            System.exit(2);
            return;
        }
        createTopic(o);
        final double[][] samples = new double[STEPS.length][o.iterations];
        // Group ids unique per run, so a re-run on the same broker never meets an old group's offsets or members.
        final String runId = Long.toString(System.currentTimeMillis(), 36);
        for (int it = 0; it < o.warmup + o.iterations; it++) {
            final boolean counted = it >= o.warmup;
            final double[] ms = iteration(o, "rebalance-" + o.protocol + "-" + runId + "-" + it);
            if (counted) {
                for (int s = 0; s < STEPS.length; s++) {
                    samples[s][it - o.warmup] = ms[s];
                }
            }
            final StringBuilder line = new StringBuilder("ITER ")
                    .append(counted ? "" : "warmup-").append(counted ? it - o.warmup + 1 : it + 1);
            for (int s = 0; s < STEPS.length; s++) {
                line.append(' ').append(STEPS[s]).append("_ms=").append(String.format(Locale.ROOT, "%.1f", ms[s]));
            }
            System.out.println(line);
        }
        for (int s = 0; s < STEPS.length; s++) {
            final double[] v = samples[s].clone();
            Arrays.sort(v);
            System.out.printf(Locale.ROOT, "RESULT step=%s protocol=%s heartbeat_ms=%s n=%d median_ms=%.1f "
                            + "p90_ms=%.1f max_ms=%.1f%n", STEPS[s], o.protocol,
                    o.protocol.equals("classic") ? Integer.toString(o.heartbeatMs) : "broker", v.length,
                    median(v), v[(int) Math.ceil(0.9 * v.length) - 1], v[v.length - 1]);
        }
    }

    /** One fresh group through formation, leave and join; returns the times of {@link #STEPS} in milliseconds. */
    private static double[] iteration(RebalanceOptions o, String groupId) throws Exception {
        final Map<String, Object> settings = o.consumerSettings();
        settings.put("group.id", groupId);
        final AssignmentBoard board = new AssignmentBoard(o.partitions);
        final List<GroupMember> all = new ArrayList<>();
        try {
            final CountDownLatch together = new CountDownLatch(1);
            final GroupMember a = member("a", settings, o, board, together, all);
            final GroupMember b = member("b", settings, o, board, together, all);
            final GroupMember c = member("c", settings, o, board, together, all);

            board.watch(List.of(a.name(), b.name(), c.name()));
            final long formationStart = System.nanoTime();
            together.countDown();
            final long formed = board.awaitSettled(o.timeoutMs);

            board.watch(List.of(a.name(), b.name()));
            c.leave();
            final long left = board.awaitSettled(o.timeoutMs);
            final long leaveNoticed = board.firstMoveNanos();
            c.awaitClosed(o.timeoutMs);

            final CountDownLatch alone = new CountDownLatch(1);
            final GroupMember d = member("d", settings, o, board, alone, all);
            board.watch(List.of(a.name(), b.name(), d.name()));
            final long joinStart = System.nanoTime();
            alone.countDown();
            final long joined = board.awaitSettled(o.timeoutMs);
            final long joinNoticed = board.firstMoveNanos();

            return new double[] {
                millis(formed - formationStart),
                millis(left - c.closeStartNanos()), millis(left - leaveNoticed),
                millis(joined - joinStart), millis(joined - joinNoticed)};
        } finally {
            for (GroupMember m : all) {
                m.leave();
            }
            for (GroupMember m : all) {
                m.awaitClosed(o.timeoutMs);
            }
        }
    }

    private static GroupMember member(String name, Map<String, Object> settings, RebalanceOptions o,
                                      AssignmentBoard board, CountDownLatch gate, List<GroupMember> all)
            throws Exception {
        final Map<String, Object> mine = new LinkedHashMap<>(settings);
        mine.put("client.id", settings.get("group.id") + "-" + name);
        final GroupMember m = new GroupMember(name, mine, o.topic, o.pollMs, board, gate);
        all.add(m);
        m.start();
        m.awaitReady(o.timeoutMs);
        return m;
    }

    private static void createTopic(RebalanceOptions o) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap))) {
            try {
                admin.createTopics(List.of(new NewTopic(o.topic, o.partitions, (short) 1)))
                        .all().get(o.timeoutMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            final int have = admin.describeTopics(List.of(o.topic)).allTopicNames()
                    .get(o.timeoutMs, TimeUnit.MILLISECONDS).get(o.topic).partitions().size();
            if (have != o.partitions) {
                throw new IllegalStateException("topic " + o.topic + " has " + have + " partitions, not "
                        + o.partitions + "; use another --topic");
            }
        }
    }

    private static double median(double[] sorted) {
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}

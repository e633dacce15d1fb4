package dev.skiff.client.consumer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The group leader's assignment strategies: Kafka's "range" and "roundrobin", computed the way
 * kafka-clients computes them so a mixed group gets the same split whoever leads, and "cooperative-sticky"
 * ({@link CooperativeStickyAssignor}).
 *
 * <p>Range works topic by topic: the members subscribed to a topic, sorted by member id, each take a
 * contiguous run of {@code partitions / members} partitions, and the first {@code partitions % members}
 * take one more. Round-robin lays every subscribed partition out in (topic, partition) order and deals
 * them to the sorted members in turn, skipping members not subscribed to that topic.
 */
public final class PartitionAssignor {
    public static final String RANGE = "range";
    public static final String ROUND_ROBIN = "roundrobin";
    public static final String COOPERATIVE_STICKY = CooperativeStickyAssignor.NAME;
    /** Every strategy this client can lead with, in Kafka's names. */
    public static final List<String> KNOWN = List.of(RANGE, ROUND_ROBIN, COOPERATIVE_STICKY);

    private PartitionAssignor() {
    }

    /**
     * Whether members configured with {@code strategies} rebalance cooperatively: only when every strategy
     * they may be asked to run supports it, as kafka-clients decides (range and roundrobin are eager only).
     */
    public static boolean cooperative(List<String> strategies) {
        return !strategies.isEmpty() && strategies.stream().allMatch(COOPERATIVE_STICKY::equals);
    }

    /**
     * Partitions per member for the strategy the coordinator chose, from the members' whole subscriptions
     * (owned partitions and generations matter to cooperative-sticky only).
     */
    public static Map<String, Map<String, List<Integer>>> assignMembers(
            String strategy, Map<String, ConsumerProtocol.Subscription> subscriptions,
            Map<String, Integer> partitionCounts) {
        if (COOPERATIVE_STICKY.equals(strategy)) {
            return CooperativeStickyAssignor.assign(subscriptions, partitionCounts);
        }
        final Map<String, List<String>> topics = new TreeMap<>();
        subscriptions.forEach((m, s) -> topics.put(m, s.topics()));
        return assign(strategy, topics, partitionCounts);
    }

    /**
     * Partitions per member: member id to (topic to partition indexes), with an entry for every member.
     *
     * @param strategy        "range" or "roundrobin" (anything else is range)
     * @param subscriptions   member id to subscribed topics
     * @param partitionCounts topic to partition count; topics missing here (unknown) are not assigned
     */
    public static Map<String, Map<String, List<Integer>>> assign(String strategy,
                                                               Map<String, List<String>> subscriptions,
                                                               Map<String, Integer> partitionCounts) {
        final TreeMap<String, Map<String, List<Integer>>> out = new TreeMap<>();
        for (String member : subscriptions.keySet()) {
            out.put(member, new TreeMap<>());
        }
        if (ROUND_ROBIN.equals(strategy)) {
            roundRobin(subscriptions, partitionCounts, out);
        } else {
            range(subscriptions, partitionCounts, out);
        }
        return out;
    }

    private static void range(Map<String, List<String>> subscriptions, Map<String, Integer> counts,
                              Map<String, Map<String, List<Integer>>> out) {
        for (Map.Entry<String, List<String>> members : subscribers(subscriptions).entrySet()) {
            final String topic = members.getKey();
            final Integer count = counts.get(topic);
            if (count == null || count <= 0) {
                continue;
            }
            final List<String> ids = members.getValue();
            final int each = count / ids.size();
            final int extra = count % ids.size();
            int next = 0;
            for (int i = 0; i < ids.size(); i++) {
                final int take = each + (i < extra ? 1 : 0);
                final List<Integer> ps = new ArrayList<>(take);
                for (int k = 0; k < take; k++) {
                    ps.add(next++);
                }
                if (!ps.isEmpty()) {
                    out.get(ids.get(i)).put(topic, ps);
                }
            }
        }
    }

    private static void roundRobin(Map<String, List<String>> subscriptions, Map<String, Integer> counts,
                                   Map<String, Map<String, List<Integer>>> out) {
        final List<String> members = new ArrayList<>(new TreeMap<>(subscriptions).keySet());
        int turn = 0;
        for (Map.Entry<String, List<String>> topicMembers : subscribers(subscriptions).entrySet()) {
            final String topic = topicMembers.getKey();
            final Integer count = counts.get(topic);
            if (count == null) {
                continue;
            }
            for (int p = 0; p < count; p++) {
                // Deal to the next member in the circle that subscribes to this topic.
                while (!subscriptions.get(members.get(turn % members.size())).contains(topic)) {
                    turn++;
                }
                final String member = members.get(turn % members.size());
                out.get(member).computeIfAbsent(topic, t -> new ArrayList<>()).add(p);
                turn++;
            }
        }
    }

    /** Topic (sorted) to its subscribed member ids (sorted). */
    private static TreeMap<String, List<String>> subscribers(Map<String, List<String>> subscriptions) {
        final TreeMap<String, List<String>> byTopic = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : new TreeMap<>(subscriptions).entrySet()) {
            for (String topic : e.getValue()) {
                final List<String> ids = byTopic.computeIfAbsent(topic, t -> new ArrayList<>());
                if (!ids.contains(e.getKey())) {
                    ids.add(e.getKey());
                }
            }
        }
        return byTopic;
    }
}

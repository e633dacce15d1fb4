package dev.skiff.broker.internal.group;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The "range" server assignor: per topic, every subscribed member gets {@code partitions / members} partitions
 * and the first {@code partitions % members} of them one more, in contiguous ranges where nothing was assigned
 * before, and keeping what each member already had where the counts allow (as Kafka's range assignor does).
 *
 * <p>Design note: per topic, with the subscribed members sorted by member id, three passes.
 * <ol>
 * <li>Keep: each member keeps the lowest-numbered of its previous partitions, up to the base share.</li>
 * <li>Keep one more: a member that had more than the base share keeps its next partition while extra
 *     partitions (the remainder) are left to hand out, in member order.</li>
 * <li>Fill: the partitions nobody kept, in ascending order, go in runs to the members below their share, in
 *     member order; members that did not keep an extra partition get one while the remainder lasts.</li>
 * </ol>
 * Why sticky: KIP-848 reconciliation hands a partition to its new owner only after the old owner has revoked
 * it, and each member learns of a new target only at its next heartbeat. Plain range renumbers everybody when
 * a member joins or leaves, so old members must take partitions from each other; a member that revokes before
 * its neighbour then waits a whole extra heartbeat interval for the neighbour's partitions. Keeping partitions
 * in place means old members only give up (a join) or only receive (a leave), which completes in one interval.
 * Without a previous assignment the result is plain range, and members subscribing to the same co-partitioned
 * topics keep getting the same partition numbers of each (they keep and fill alike).
 */
final class RangeAssignor implements ServerAssignor {
    static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Map<UUID, Set<Integer>>> assign(Map<String, Set<String>> subscriptions,
                                                      Map<String, Topic> topics,
                                                      Map<String, Map<UUID, Set<Integer>>> previous) {
        final Map<String, Map<UUID, Set<Integer>>> result = new LinkedHashMap<>();
        subscriptions.keySet().forEach(m -> result.put(m, Assignments.empty()));
        for (Topic t : topics.values()) {
            final List<String> members = new ArrayList<>();
            subscriptions.forEach((member, subscribed) -> {
                if (subscribed.contains(t.name())) {
                    members.add(member);
                }
            });
            if (!members.isEmpty()) {
                members.sort(null);
                assignTopic(t, members, previous, result);
            }
        }
        return result;
    }

    private static void assignTopic(Topic t, List<String> members, Map<String, Map<UUID, Set<Integer>>> previous,
                                    Map<String, Map<UUID, Set<Integer>>> result) {
        final int base = t.partitions() / members.size();
        int extras = t.partitions() % members.size();
        final boolean[] taken = new boolean[t.partitions()];
        final int[] count = new int[members.size()];
        final boolean[] hasExtra = new boolean[members.size()];
        final List<List<Integer>> had = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            final List<Integer> mine = previousPartitions(previous.get(members.get(i)), t, taken);
            had.add(mine);
            for (int k = 0; k < Math.min(base, mine.size()); k++) {
                take(result, members.get(i), t, mine.get(k), taken);
                count[i]++;
            }
        }
        for (int i = 0; i < members.size() && extras > 0; i++) {
            if (had.get(i).size() > base && !taken[had.get(i).get(base)]) {
                take(result, members.get(i), t, had.get(i).get(base), taken);
                count[i]++;
                hasExtra[i] = true;
                extras--;
            }
        }
        int next = 0;
        for (int i = 0; i < members.size(); i++) {
            int want = base - count[i];
            if (!hasExtra[i] && extras > 0) {
                want++;
                extras--;
            }
            for (; want > 0; want--) {
                while (taken[next]) {
                    next++;
                }
                take(result, members.get(i), t, next, taken);
            }
        }
    }

    /**
     * A member's previous partitions of topic {@code t}, ascending, leaving out those beyond the topic's current
     * partition count and those a member before it already kept (a target never gives a partition twice, but a
     * record read back from the group log is not trusted that far).
     */
    private static List<Integer> previousPartitions(Map<UUID, Set<Integer>> before, Topic t, boolean[] taken) {
        final List<Integer> mine = new ArrayList<>();
        final Set<Integer> partitions = before == null ? null : before.get(t.id());
        if (partitions != null) {
            for (int p : new TreeSet<>(partitions)) {
                if (p >= 0 && p < t.partitions() && !taken[p]) {
                    mine.add(p);
                }
            }
        }
        return mine;
    }

    private static void take(Map<String, Map<UUID, Set<Integer>>> result, String member, Topic t, int partition,
                             boolean[] taken) {
        taken[partition] = true;
        Assignments.add(result.get(member), t.id(), partition);
    }
}

package dev.skiff.broker.internal.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The "uniform" server assignor: spreads partitions so that members' partition counts differ by at most one
 * among members that could take them, and keeps partitions with their previous owner where that allows.
 *
 * <p>Design note: three passes over the partitions, sorted by topic name then number. (1) Sticky: a
 * partition stays with its previous owner while that member still subscribes to its topic. (2) Fill: each
 * unowned partition goes to the least loaded subscribed member. (3) Balance: a partition moves from its owner
 * to the least loaded subscribed member while their counts differ by more than one; each move lowers the sum
 * of squared loads, so the pass ends. The balance pass first moves only partitions of the most loaded members,
 * then (for what different subscriptions leave unbalanced) any. Why: KIP-848 gives a partition to its new owner
 * only once the old owner has revoked it at its next heartbeat, so a member that gives up partitions and takes
 * others in the same rebalance may wait a whole extra heartbeat interval for them; taking from the most loaded
 * first means that with identical subscriptions a join only takes partitions from the members already there and
 * a leave only gives them partitions. Kafka's own uniform assignor reaches the same balance for members with
 * identical subscriptions; its placement of individual partitions may differ.
 */
final class UniformAssignor implements ServerAssignor {
    static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    /** One partition with the members that may own it. */
    private record Slot(UUID topic, int partition, List<String> eligible) {
    }

    @Override
    public Map<String, Map<UUID, Set<Integer>>> assign(Map<String, Set<String>> subscriptions,
                                                      Map<String, Topic> topics,
                                                      Map<String, Map<UUID, Set<Integer>>> previous) {
        final Map<String, Integer> load = new LinkedHashMap<>();
        subscriptions.keySet().forEach(m -> load.put(m, 0));
        final List<Slot> slots = slots(subscriptions, topics);
        final Map<Slot, String> owner = new HashMap<>();
        final Map<String, String> previousOwners = new HashMap<>();
        previous.forEach((member, a) -> a.forEach((topic, partitions) ->
                partitions.forEach(p -> previousOwners.put(topic + ":" + p, member))));
        for (Slot s : slots) {
            final String prev = previousOwners.get(s.topic() + ":" + s.partition());
            if (prev != null && s.eligible().contains(prev)) {
                owner.put(s, prev);
                load.merge(prev, 1, Integer::sum);
            }
        }
        for (Slot s : slots) {
            if (!owner.containsKey(s)) {
                final String to = leastLoaded(s.eligible(), load);
                owner.put(s, to);
                load.merge(to, 1, Integer::sum);
            }
        }
        balance(slots, owner, load, true);
        balance(slots, owner, load, false);
        final Map<String, Map<UUID, Set<Integer>>> result = new LinkedHashMap<>();
        subscriptions.keySet().forEach(m -> result.put(m, Assignments.empty()));
        owner.forEach((s, m) -> Assignments.add(result.get(m), s.topic(), s.partition()));
        return result;
    }

    /**
     * Moves partitions to the least loaded member that may own them while their owner has more than one partition
     * over it; each move lowers the sum of squared loads, so this ends. With {@code fromMostLoaded} a partition
     * only moves if its owner is also the most loaded of the members that may own it.
     */
    private static void balance(List<Slot> slots, Map<Slot, String> owner, Map<String, Integer> load,
                                boolean fromMostLoaded) {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Slot s : slots) {
                final String from = owner.get(s);
                final String to = leastLoaded(s.eligible(), load);
                if (load.get(from) - load.get(to) > 1
                        && (!fromMostLoaded || load.get(from) >= load.get(mostLoaded(s.eligible(), load)))) {
                    owner.put(s, to);
                    load.merge(from, -1, Integer::sum);
                    load.merge(to, 1, Integer::sum);
                    moved = true;
                }
            }
        }
    }

    private static List<Slot> slots(Map<String, Set<String>> subscriptions, Map<String, Topic> topics) {
        final List<Slot> slots = new ArrayList<>();
        for (String name : new TreeSet<>(topics.keySet())) {
            final List<String> eligible = new ArrayList<>();
            subscriptions.forEach((member, subscribed) -> {
                if (subscribed.contains(name)) {
                    eligible.add(member);
                }
            });
            if (eligible.isEmpty()) {
                continue;
            }
            final Topic t = topics.get(name);
            for (int p = 0; p < t.partitions(); p++) {
                slots.add(new Slot(t.id(), p, eligible));
            }
        }
        return slots;
    }

    private static String mostLoaded(List<String> members, Map<String, Integer> load) {
        String best = null;
        for (String m : members) {
            if (best == null || load.get(m) > load.get(best)) {
                best = m;
            }
        }
        return best;
    }

    private static String leastLoaded(List<String> members, Map<String, Integer> load) {
        String best = null;
        for (String m : members) {
            if (best == null || load.get(m) < load.get(best)) {
                best = m;
            }
        }
        return best;
    }
}

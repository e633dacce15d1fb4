package dev.skiff.client.consumer.internal;

import dev.skiff.client.TopicPartition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kafka's "cooperative-sticky" strategy: a balanced assignment that moves as few partitions as possible,
 * and never hands a partition straight from one member to another.
 *
 * <p>Design note: three steps, the same contract kafka-clients' CooperativeStickyAssignor keeps, so a mixed
 * group gets a valid assignment whoever leads.
 * <ol>
 *   <li><b>Ownership.</b> A member's owned partitions count only when its generation is the highest any
 *   member reports (a member behind it missed a rebalance and has lost them) and it still subscribes to the
 *   topic. A partition two such members both claim is kept by neither.</li>
 *   <li><b>Sticky balance.</b> When every member subscribes to the same topics, each gets the floor or ceiling
 *   of partitions/members, the ceilings going to the members that own the most, and each keeps as many of
 *   its owned partitions as its quota allows. Otherwise every member keeps what it owns, free partitions go
 *   (scarcest first) to the eligible member with the fewest, then partitions move from fuller to emptier
 *   eligible members while that narrows a gap of two or more; members with the same subscription end at
 *   most one apart.</li>
 *   <li><b>Cooperation.</b> A partition given to a member while another member still claims it is taken out
 *   of this assignment: the claimant sees it missing, revokes it (committing first) and rejoins, and the
 *   follow-up rebalance hands it out free. So no partition is ever read by two members at once.</li>
 * </ol>
 */
public final class CooperativeStickyAssignor {
    /** The JoinGroup protocol name. */
    public static final String NAME = "cooperative-sticky";

    private static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    /**
     * The outcome of one assignment.
     *
     * @param balanced   the sticky, balanced target (what the group converges to)
     * @param assignment what each member gets now: {@code balanced} less the partitions another member must
     *                   revoke first
     */
    public record Plan(Map<String, Set<TopicPartition>> balanced, Map<String, Set<TopicPartition>> assignment) {
    }

    private CooperativeStickyAssignor() {
    }

    /**
     * Partitions per member (member id to topic to partition indexes), an entry for every member.
     *
     * @param subscriptions   member id to its subscription (topics, owned partitions, generation)
     * @param partitionCounts topic to partition count; topics missing here are not assigned
     */
    public static Map<String, Map<String, List<Integer>>> assign(
            Map<String, ConsumerProtocol.Subscription> subscriptions, Map<String, Integer> partitionCounts) {
        final Map<String, Map<String, List<Integer>>> out = new TreeMap<>();
        plan(subscriptions, partitionCounts).assignment().forEach((member, parts) -> {
            final Map<String, List<Integer>> byTopic = new TreeMap<>();
            for (TopicPartition tp : parts) {
                byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
            }
            out.put(member, byTopic);
        });
        return out;
    }

    /** The balanced target and the cooperative assignment for these members. */
    public static Plan plan(Map<String, ConsumerProtocol.Subscription> subscriptions,
                            Map<String, Integer> partitionCounts) {
        final TreeMap<String, ConsumerProtocol.Subscription> members = new TreeMap<>(subscriptions);
        // Which partitions each member may have: its subscribed topics that exist.
        final Map<String, Set<String>> eligibleTopics = new HashMap<>();
        final Map<String, Integer> counts = new HashMap<>();
        for (Map.Entry<String, ConsumerProtocol.Subscription> e : members.entrySet()) {
            final Set<String> topics = new TreeSet<>();
            for (String t : e.getValue().topics()) {
                final Integer n = partitionCounts.get(t);
                if (n != null && n > 0) {
                    topics.add(t);
                    counts.put(t, n);
                }
            }
            eligibleTopics.put(e.getKey(), topics);
        }
        final List<TopicPartition> all = new ArrayList<>();
        for (Map.Entry<String, Integer> e : new TreeMap<>(counts).entrySet()) {
            for (int p = 0; p < e.getValue(); p++) {
                all.add(new TopicPartition(e.getKey(), p));
            }
        }

        final Map<String, List<TopicPartition>> owned = validOwnership(members, eligibleTopics, counts);
        final Map<String, Set<TopicPartition>> balanced = new TreeMap<>();
        for (String m : members.keySet()) {
            balanced.put(m, new TreeSet<>(ORDER));
        }
        if (!members.isEmpty()) {
            if (sameSubscriptions(eligibleTopics)) {
                constrained(all, owned, balanced);
            } else {
                general(all, owned, eligibleTopics, balanced);
            }
        }
        return new Plan(balanced, cooperative(members, balanced));
    }

    /**
     * The owned partitions each member may keep: from members of the newest generation, still subscribed
     * and existing, and claimed by that member alone.
     */
    private static Map<String, List<TopicPartition>> validOwnership(
            Map<String, ConsumerProtocol.Subscription> members, Map<String, Set<String>> eligibleTopics,
            Map<String, Integer> counts) {
        int newest = -1;
        for (ConsumerProtocol.Subscription s : members.values()) {
            newest = Math.max(newest, s.generationId());
        }
        final Map<TopicPartition, Integer> claims = new HashMap<>();
        final Map<String, List<TopicPartition>> owned = new TreeMap<>();
        for (Map.Entry<String, ConsumerProtocol.Subscription> e : members.entrySet()) {
            final List<TopicPartition> valid = new ArrayList<>();
            if (e.getValue().generationId() == newest) {
                for (TopicPartition tp : new LinkedHashSet<>(e.getValue().ownedPartitions())) {
                    if (eligibleTopics.get(e.getKey()).contains(tp.topic()) && tp.partition() < counts.get(tp.topic())) {
                        valid.add(tp);
                        claims.merge(tp, 1, Integer::sum);
                    }
                }
            }
            owned.put(e.getKey(), valid);
        }
        for (List<TopicPartition> valid : owned.values()) {
            valid.removeIf(tp -> claims.get(tp) > 1);
            valid.sort(ORDER);
        }
        return owned;
    }

    private static boolean sameSubscriptions(Map<String, Set<String>> eligibleTopics) {
        Set<String> first = null;
        for (Set<String> topics : eligibleTopics.values()) {
            if (first == null) {
                first = topics;
            } else if (!first.equals(topics)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Every member may take every partition: quotas of floor or ceiling, the ceilings to the members owning
     * the most (ties by member id), owned partitions kept up to the quota, the rest dealt round-robin.
     */
    private static void constrained(List<TopicPartition> all, Map<String, List<TopicPartition>> owned,
                                    Map<String, Set<TopicPartition>> out) {
        final int memberCount = out.size();
        final int floor = all.size() / memberCount;
        int ceilings = all.size() % memberCount;
        final List<String> byOwned = new ArrayList<>(out.keySet());
        byOwned.sort(Comparator.comparingInt((String m) -> -owned.get(m).size()).thenComparing(m -> m));
        final Map<String, Integer> quota = new HashMap<>();
        for (String m : byOwned) {
            quota.put(m, floor + (ceilings-- > 0 ? 1 : 0));
        }
        final Set<TopicPartition> taken = new HashSet<>();
        for (String m : byOwned) {
            final List<TopicPartition> mine = owned.get(m);
            for (int i = 0; i < Math.min(mine.size(), quota.get(m)); i++) {
                out.get(m).add(mine.get(i));
                taken.add(mine.get(i));
            }
        }
        // Deal the free partitions one at a time around the members still short, so topics spread evenly.
        final List<String> ring = new ArrayList<>(out.keySet());
        int turn = 0;
        for (TopicPartition tp : all) {
            if (taken.contains(tp)) {
                continue;
            }
            while (out.get(ring.get(turn % ring.size())).size() >= quota.get(ring.get(turn % ring.size()))) {
                turn++;
            }
            out.get(ring.get(turn % ring.size())).add(tp);
            turn++;
        }
    }

    /**
     * Members subscribe to different topics: keep what is owned, place free partitions (those with the fewest
     * candidates first) on the emptiest candidate, then move partitions from fuller to emptier candidates while
     * a gap of two or more remains. Each move lowers the sum of squared counts, so the loop ends.
     */
    private static void general(List<TopicPartition> all, Map<String, List<TopicPartition>> owned,
                                Map<String, Set<String>> eligibleTopics, Map<String, Set<TopicPartition>> out) {
        final Map<String, List<String>> candidates = new HashMap<>();
        for (Map.Entry<String, Set<String>> e : eligibleTopics.entrySet()) {
            for (String t : e.getValue()) {
                candidates.computeIfAbsent(t, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        candidates.values().forEach(list -> list.sort(null));
        final Set<TopicPartition> taken = new HashSet<>();
        owned.forEach((m, mine) -> {
            out.get(m).addAll(mine);
            taken.addAll(mine);
        });
        final List<TopicPartition> free = new ArrayList<>();
        for (TopicPartition tp : all) {
            if (!taken.contains(tp)) {
                free.add(tp);
            }
        }
        free.sort(Comparator.comparingInt((TopicPartition tp) -> candidates.get(tp.topic()).size()).thenComparing(ORDER));
        for (TopicPartition tp : free) {
            out.get(emptiest(candidates.get(tp.topic()), out)).add(tp);
        }
        // Rebalance: repeatedly move one partition from the fullest member that can give one away.
        boolean moved = true;
        while (moved) {
            moved = false;
            final List<String> fullestFirst = new ArrayList<>(out.keySet());
            fullestFirst.sort(Comparator.comparingInt((String m) -> -out.get(m).size()).thenComparing(m -> m));
            for (String from : fullestFirst) {
                final TopicPartition movable = movable(from, owned.get(from), candidates, out);
                if (movable != null) {
                    out.get(from).remove(movable);
                    out.get(emptiest(candidates.get(movable.topic()), out)).add(movable);
                    moved = true;
                    break;
                }
            }
        }
    }

    /**
     * A partition of {@code from} that some candidate with at least two fewer partitions could take: the one
     * whose emptiest candidate has the fewest (the biggest gap closes first, so fewer moves are needed),
     * preferring one {@code from} did not own before; null when none.
     */
    private static TopicPartition movable(String from, List<TopicPartition> ownedBefore,
                                          Map<String, List<String>> candidates, Map<String, Set<TopicPartition>> out) {
        final int size = out.get(from).size();
        TopicPartition best = null;
        int bestTarget = Integer.MAX_VALUE;
        boolean bestOwned = true;
        for (TopicPartition tp : out.get(from)) {
            final int target = out.get(emptiest(candidates.get(tp.topic()), out)).size();
            if (target + 2 > size) {
                continue;
            }
            final boolean owned = ownedBefore.contains(tp);
            if (target < bestTarget || (target == bestTarget && bestOwned && !owned)) {
                best = tp;
                bestTarget = target;
                bestOwned = owned;
            }
        }
        return best;
    }

    private static String emptiest(List<String> members, Map<String, Set<TopicPartition>> out) {
        String best = null;
        for (String m : members) {
            if (best == null || out.get(m).size() < out.get(best).size()) {
                best = m;
            }
        }
        return best;
    }

    /**
     * The balanced target less every partition some other member still claims (by any generation, and even
     * for a topic it dropped): that member revokes it first, and the next rebalance gives it out.
     */
    private static Map<String, Set<TopicPartition>> cooperative(Map<String, ConsumerProtocol.Subscription> members,
                                                                Map<String, Set<TopicPartition>> balanced) {
        final Map<TopicPartition, Set<String>> claimants = new HashMap<>();
        members.forEach((m, s) -> {
            for (TopicPartition tp : s.ownedPartitions()) {
                claimants.computeIfAbsent(tp, k -> new HashSet<>()).add(m);
            }
        });
        final Map<String, Set<TopicPartition>> out = new TreeMap<>();
        balanced.forEach((m, parts) -> {
            final Set<TopicPartition> now = new TreeSet<>(ORDER);
            for (TopicPartition tp : parts) {
                final Set<String> who = claimants.getOrDefault(tp, Set.of());
                if (who.isEmpty() || (who.size() == 1 && who.contains(m))) {
                    now.add(tp);
                }
            }
            out.put(m, now);
        });
        return out;
    }
}

package dev.skiff.client.consumer.internal;

import dev.skiff.client.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the cooperative-sticky assignment over random groups: members with random subscriptions,
 * random previous ownership (some stale generations, some partitions claimed twice), and a random topic
 * layout. kafka-clients' own CooperativeStickyAssignor is the yardstick for stickiness.
 */
class CooperativeStickyAssignorTest {
    private static final int GENERATION = 5;

    /** One random group: partition counts and each member's subscription. */
    private record Scenario(Map<String, Integer> counts, Map<String, ConsumerProtocol.Subscription> members,
                            boolean sameTopics) {
    }

    /**
     * A random group. {@code clean}: one generation, no partition claimed twice, every claim eligible (as a
     * group of well-behaved members after a completed rebalance looks).
     */
    private static Scenario scenario(long seed, boolean sameTopics, boolean clean) {
        final Random r = new Random(seed);
        final Map<String, Integer> counts = new TreeMap<>();
        final int topicCount = 1 + r.nextInt(3);
        for (int t = 0; t < topicCount; t++) {
            counts.put("t" + t, 1 + r.nextInt(12));
        }
        final List<String> topicNames = new ArrayList<>(counts.keySet());
        final int memberCount = 1 + r.nextInt(6);
        final List<String> ids = new ArrayList<>();
        final Map<String, List<String>> subscribed = new HashMap<>();
        for (int m = 0; m < memberCount; m++) {
            final String id = "member-" + Integer.toHexString(r.nextInt(1 << 20)) + "-" + m;
            ids.add(id);
            final List<String> topics = new ArrayList<>();
            for (String t : topicNames) {
                if (sameTopics || r.nextInt(2) == 0) {
                    topics.add(t);
                }
            }
            if (topics.isEmpty()) {
                topics.add(topicNames.get(r.nextInt(topicNames.size())));
            }
            if (!clean && r.nextInt(10) == 0) {
                topics.add("missing-topic");
            }
            subscribed.put(id, topics);
        }
        final Map<String, List<TopicPartition>> owned = new HashMap<>();
        ids.forEach(id -> owned.put(id, new ArrayList<>()));
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            for (int p = 0; p < e.getValue(); p++) {
                if (r.nextInt(10) >= 7) {
                    continue; // nobody owned it (new partition, or its owner left)
                }
                final List<String> eligible = new ArrayList<>();
                for (String id : ids) {
                    if (!clean || subscribed.get(id).contains(e.getKey())) {
                        eligible.add(id);
                    }
                }
                if (eligible.isEmpty()) {
                    continue;
                }
                final TopicPartition tp = new TopicPartition(e.getKey(), p);
                owned.get(eligible.get(r.nextInt(eligible.size()))).add(tp);
                if (!clean && r.nextInt(10) == 0) {
                    owned.get(eligible.get(r.nextInt(eligible.size()))).add(tp);
                }
            }
        }
        final Map<String, ConsumerProtocol.Subscription> members = new TreeMap<>();
        for (String id : ids) {
            final int gen = clean ? GENERATION : switch (r.nextInt(6)) {
                case 0 -> GENERATION - 2;
                case 1 -> -1;
                default -> GENERATION;
            };
            members.put(id, new ConsumerProtocol.Subscription(subscribed.get(id), owned.get(id), gen));
        }
        return new Scenario(counts, members, sameTopics);
    }

    @Property(tries = 400)
    void noPartitionGoesToAMemberWhileAnotherStillClaimsIt(@ForAll long seed, @ForAll boolean sameTopics) {
        final Scenario s = scenario(seed, sameTopics, false);
        final CooperativeStickyAssignor.Plan plan = CooperativeStickyAssignor.plan(s.members(), s.counts());
        plan.assignment().forEach((member, parts) -> {
            assertThat(plan.balanced().get(member)).containsAll(parts);
            for (TopicPartition tp : parts) {
                s.members().forEach((other, sub) -> {
                    if (!other.equals(member)) {
                        assertThat(sub.ownedPartitions()).as("%s given to %s but claimed by %s", tp, member, other)
                                .doesNotContain(tp);
                    }
                });
            }
        });
    }

    @Property(tries = 400)
    void everyPartitionHasExactlyOneSubscribedMemberAndEqualSubscriptionsAreBalanced(@ForAll long seed,
                                                                                      @ForAll boolean sameTopics) {
        final Scenario s = scenario(seed, sameTopics, false);
        final CooperativeStickyAssignor.Plan plan = CooperativeStickyAssignor.plan(s.members(), s.counts());
        final Set<TopicPartition> seen = new HashSet<>();
        plan.balanced().forEach((member, parts) -> {
            for (TopicPartition tp : parts) {
                assertThat(seen.add(tp)).as("%s assigned twice", tp).isTrue();
                assertThat(s.members().get(member).topics()).contains(tp.topic());
            }
        });
        for (Map.Entry<String, Integer> e : s.counts().entrySet()) {
            final boolean subscribed = s.members().values().stream().anyMatch(m -> m.topics().contains(e.getKey()));
            for (int p = 0; p < e.getValue(); p++) {
                assertThat(seen.contains(new TopicPartition(e.getKey(), p))).isEqualTo(subscribed);
            }
        }
        // Members that subscribe to the same topics end at most one partition apart.
        final Map<Set<String>, List<Integer>> sizesBySubscription = new HashMap<>();
        plan.balanced().forEach((member, parts) -> sizesBySubscription
                .computeIfAbsent(Set.copyOf(s.members().get(member).topics()), k -> new ArrayList<>())
                .add(parts.size()));
        for (List<Integer> sizes : sizesBySubscription.values()) {
            assertThat(sizes.stream().mapToInt(i -> i).max().orElse(0) - sizes.stream().mapToInt(i -> i).min()
                    .orElse(0)).as("partition counts %s", sizes).isLessThanOrEqualTo(1);
        }
    }

    @Property(tries = 400)
    void keepsAsManyOwnedPartitionsAsABalancedAssignmentCan(@ForAll long seed) {
        final Scenario s = scenario(seed, true, true);
        final CooperativeStickyAssignor.Plan plan = CooperativeStickyAssignor.plan(s.members(), s.counts());
        final int total = s.counts().values().stream().mapToInt(i -> i).sum();
        final int memberCount = s.members().size();
        // The best any balanced assignment can do: the ceil quotas go to the members that own the most.
        final List<Integer> ownedSizes = new ArrayList<>();
        s.members().values().forEach(m -> ownedSizes.add(m.ownedPartitions().size()));
        ownedSizes.sort((a, b) -> b - a);
        int best = 0;
        for (int i = 0; i < ownedSizes.size(); i++) {
            best += Math.min(ownedSizes.get(i), total / memberCount + (i < total % memberCount ? 1 : 0));
        }
        assertThat(kept(s, plan.balanced())).isEqualTo(best);
        assertThat(kept(s, plan.assignment())).isEqualTo(best);
    }

    @Property(tries = 300)
    void theFollowUpRebalanceRevokesNothingAndCompletesTheBalance(@ForAll long seed) {
        final Scenario s = scenario(seed, true, true);
        final CooperativeStickyAssignor.Plan first = CooperativeStickyAssignor.plan(s.members(), s.counts());
        final Map<String, ConsumerProtocol.Subscription> next = new TreeMap<>();
        s.members().forEach((m, sub) -> next.put(m, new ConsumerProtocol.Subscription(sub.topics(),
                List.copyOf(first.assignment().get(m)), GENERATION + 1)));
        final CooperativeStickyAssignor.Plan second = CooperativeStickyAssignor.plan(next, s.counts());
        assertThat(second.assignment()).isEqualTo(second.balanced());
        first.assignment().forEach((m, parts) -> assertThat(second.assignment().get(m)).containsAll(parts));
    }

    @Property(tries = 200)
    void keepsAtLeastAsManyOwnedPartitionsAsKafkaClients(@ForAll long seed, @ForAll boolean sameTopics) {
        final Scenario s = scenario(seed, sameTopics, true);
        final Map<String, Set<TopicPartition>> ours = CooperativeStickyAssignor.plan(s.members(), s.counts())
                .assignment();
        final Map<String, Set<TopicPartition>> theirs = kafkaAssignment(s);
        assertThat(kept(s, ours)).isGreaterThanOrEqualTo(kept(s, theirs));
        if (sameTopics) {
            assertThat(assignedCount(ours)).isEqualTo(assignedCount(theirs));
        }
    }

    @Test
    void aStaleMemberLosesItsClaimsAndADoubleClaimIsKeptByNobody() {
        final TopicPartition p0 = new TopicPartition("t", 0);
        final TopicPartition p1 = new TopicPartition("t", 1);
        final Map<String, ConsumerProtocol.Subscription> members = new TreeMap<>(Map.of(
                "a", new ConsumerProtocol.Subscription(List.of("t"), List.of(p0, p1), 7),
                "b", new ConsumerProtocol.Subscription(List.of("t"), List.of(p1), 7),
                "c", new ConsumerProtocol.Subscription(List.of("t"), List.of(), 3)));
        final CooperativeStickyAssignor.Plan plan = CooperativeStickyAssignor.plan(members, Map.of("t", 3));
        assertThat(plan.balanced().get("a")).contains(p0);
        // p1 is claimed twice: whoever the target gives it to must wait for the other claimant to let go.
        plan.assignment().values().forEach(parts -> assertThat(parts).doesNotContain(p1));
        assertThat(plan.assignment().values().stream().mapToInt(Set::size).sum()).isEqualTo(2);
    }

    @Test
    void aMemberJoiningGetsNothingUntilTheOthersRevoke() {
        final Map<String, ConsumerProtocol.Subscription> members = new TreeMap<>();
        for (int m = 0; m < 3; m++) {
            final List<TopicPartition> owned = new ArrayList<>();
            for (int p = m * 4; p < m * 4 + 4; p++) {
                owned.add(new TopicPartition("t", p));
            }
            members.put("m" + m, new ConsumerProtocol.Subscription(List.of("t"), owned, 1));
        }
        members.put("new", new ConsumerProtocol.Subscription(List.of("t"), List.of(), -1));
        final CooperativeStickyAssignor.Plan plan = CooperativeStickyAssignor.plan(members, Map.of("t", 12));
        assertThat(plan.balanced().values()).allSatisfy(parts -> assertThat(parts).hasSize(3));
        assertThat(plan.assignment().get("new")).isEmpty();
        for (int m = 0; m < 3; m++) {
            assertThat(members.get("m" + m).ownedPartitions()).containsAll(plan.assignment().get("m" + m));
            assertThat(plan.assignment().get("m" + m)).hasSize(3);
        }
    }

    private static int kept(Scenario s, Map<String, Set<TopicPartition>> assignment) {
        int kept = 0;
        for (Map.Entry<String, Set<TopicPartition>> e : assignment.entrySet()) {
            for (TopicPartition tp : s.members().get(e.getKey()).ownedPartitions()) {
                if (e.getValue().contains(tp)) {
                    kept++;
                }
            }
        }
        return kept;
    }

    private static int assignedCount(Map<String, Set<TopicPartition>> assignment) {
        return assignment.values().stream().mapToInt(Set::size).sum();
    }

    /** kafka-clients' cooperative-sticky assignment of the same group. */
    private static Map<String, Set<TopicPartition>> kafkaAssignment(Scenario s) {
        final Node node = new Node(0, "127.0.0.1", 9092);
        final List<PartitionInfo> partitions = new ArrayList<>();
        s.counts().forEach((t, n) -> {
            for (int p = 0; p < n; p++) {
                partitions.add(new PartitionInfo(t, p, node, new Node[] {node}, new Node[] {node}));
            }
        });
        final Cluster cluster = new Cluster("c", List.of(node), partitions, Set.of(), Set.of());
        final Map<String, ConsumerPartitionAssignor.Subscription> subs = new HashMap<>();
        s.members().forEach((m, sub) -> {
            final List<org.apache.kafka.common.TopicPartition> owned = new ArrayList<>();
            sub.ownedPartitions().forEach(tp -> owned.add(new org.apache.kafka.common.TopicPartition(tp.topic(),
                    tp.partition())));
            subs.put(m, new ConsumerPartitionAssignor.Subscription(sub.topics(), null, owned, sub.generationId(),
                    Optional.empty()));
        });
        final Map<String, ConsumerPartitionAssignor.Assignment> result =
                new org.apache.kafka.clients.consumer.CooperativeStickyAssignor()
                        .assign(cluster, new ConsumerPartitionAssignor.GroupSubscription(subs)).groupAssignment();
        final Map<String, Set<TopicPartition>> out = new TreeMap<>();
        result.forEach((m, a) -> {
            final Set<TopicPartition> parts = new HashSet<>();
            a.partitions().forEach(tp -> parts.add(new TopicPartition(tp.topic(), tp.partition())));
            out.put(m, parts);
        });
        return out;
    }
}

package dev.skiff.broker.internal.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The uniform and range server assignors, without a coordinator. */
class ServerAssignorTest {
    private static final UUID A = new UUID(0, 1);
    private static final UUID B = new UUID(0, 2);

    private static Map<String, ServerAssignor.Topic> topics(int aPartitions, int bPartitions) {
        final Map<String, ServerAssignor.Topic> topics = new HashMap<>();
        topics.put("a", new ServerAssignor.Topic(A, "a", aPartitions));
        if (bPartitions > 0) {
            topics.put("b", new ServerAssignor.Topic(B, "b", bPartitions));
        }
        return topics;
    }

    private static Map<String, Set<String>> members(String topicsCsv, String... ids) {
        final Map<String, Set<String>> subs = new LinkedHashMap<>();
        for (String id : ids) {
            subs.put(id, Set.of(topicsCsv.split(",")));
        }
        return subs;
    }

    private static int total(Map<String, Map<UUID, Set<Integer>>> a) {
        final Set<String> all = new HashSet<>();
        int n = 0;
        for (Map<UUID, Set<Integer>> m : a.values()) {
            for (Map.Entry<UUID, Set<Integer>> e : m.entrySet()) {
                for (int p : e.getValue()) {
                    assertThat(all.add(e.getKey() + ":" + p)).as("partition assigned twice").isTrue();
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void uniformSharesTwelvePartitionsFourEachAmongThree() {
        final var result = new UniformAssignor().assign(members("a", "m1", "m2", "m3"), topics(12, 0), Map.of());
        assertThat(total(result)).isEqualTo(12);
        assertThat(result.values()).allSatisfy(a -> assertThat(Assignments.count(a)).isEqualTo(4));
    }

    @Test
    void uniformKeepsPartitionsOfRemainingMembersWhenOneLeaves() {
        final UniformAssignor assignor = new UniformAssignor();
        final var three = assignor.assign(members("a", "m1", "m2", "m3"), topics(12, 0), Map.of());
        final var two = assignor.assign(members("a", "m1", "m2"), topics(12, 0), three);
        assertThat(total(two)).isEqualTo(12);
        assertThat(Assignments.count(two.get("m1"))).isEqualTo(6);
        assertThat(Assignments.count(two.get("m2"))).isEqualTo(6);
        assertThat(Assignments.isSubset(three.get("m1"), two.get("m1"))).isTrue();
        assertThat(Assignments.isSubset(three.get("m2"), two.get("m2"))).isTrue();
    }

    @Test
    void uniformMovesOnlyWhatANewMemberNeeds() {
        final UniformAssignor assignor = new UniformAssignor();
        final var two = assignor.assign(members("a", "m1", "m2"), topics(12, 0), Map.of());
        final var three = assignor.assign(members("a", "m1", "m2", "m3"), topics(12, 0), two);
        assertThat(three.values()).allSatisfy(a -> assertThat(Assignments.count(a)).isEqualTo(4));
        assertThat(Assignments.isSubset(three.get("m1"), two.get("m1"))).isTrue();
        assertThat(Assignments.isSubset(three.get("m2"), two.get("m2"))).isTrue();
    }

    @Test
    void uniformGivesEachTopicOnlyToItsSubscribers() {
        final Map<String, Set<String>> subs = new LinkedHashMap<>();
        subs.put("m1", Set.of("a"));
        subs.put("m2", Set.of("a", "b"));
        subs.put("m3", Set.of("b"));
        final var result = new UniformAssignor().assign(subs, topics(4, 4), Map.of());
        assertThat(total(result)).isEqualTo(8);
        assertThat(result.get("m1")).doesNotContainKey(B);
        assertThat(result.get("m3")).doesNotContainKey(A);
        final int max = result.values().stream().mapToInt(Assignments::count).max().orElseThrow();
        final int min = result.values().stream().mapToInt(Assignments::count).min().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
    }

    @Test
    void uniformIgnoresTopicsThatDoNotExistAndGivesEmptyAssignments() {
        final var result = new UniformAssignor().assign(members("missing", "m1"), topics(3, 0), Map.of());
        assertThat(result).containsOnlyKeys("m1");
        assertThat(result.get("m1")).isEmpty();
    }

    @Test
    void rangeGivesContiguousRangesPerTopicWithTheRemainderFirst() {
        final var result = new RangeAssignor().assign(members("a,b", "m2", "m1", "m3"), topics(7, 3), Map.of());
        assertThat(total(result)).isEqualTo(10);
        assertThat(result.get("m1")).containsEntry(A, Set.of(0, 1, 2)).containsEntry(B, Set.of(0));
        assertThat(result.get("m2")).containsEntry(A, Set.of(3, 4)).containsEntry(B, Set.of(1));
        assertThat(result.get("m3")).containsEntry(A, Set.of(5, 6)).containsEntry(B, Set.of(2));
    }

    @Test
    void rangeGivesANewMemberOnlyWhatTheOthersGiveUp() {
        final RangeAssignor assignor = new RangeAssignor();
        final var two = assignor.assign(members("a", "m1", "m2"), topics(12, 0), Map.of());
        assertThat(two.get("m1")).containsEntry(A, Set.of(0, 1, 2, 3, 4, 5));
        // "m0" sorts first: plain range would give it 0-3 and move m1 to 4-7, which m2 still owns.
        final var three = assignor.assign(members("a", "m0", "m1", "m2"), topics(12, 0), two);
        assertThat(total(three)).isEqualTo(12);
        assertThat(three.get("m1")).containsEntry(A, Set.of(0, 1, 2, 3));
        assertThat(three.get("m2")).containsEntry(A, Set.of(6, 7, 8, 9));
        assertThat(three.get("m0")).containsEntry(A, Set.of(4, 5, 10, 11));
    }

    @Test
    void rangeKeepsTheRemainingMembersPartitionsWhenOneLeaves() {
        final RangeAssignor assignor = new RangeAssignor();
        final var three = assignor.assign(members("a", "m1", "m2", "m3"), topics(12, 0), Map.of());
        final var two = assignor.assign(members("a", "m1", "m3"), topics(12, 0), three);
        assertThat(total(two)).isEqualTo(12);
        assertThat(Assignments.count(two.get("m1"))).isEqualTo(6);
        assertThat(Assignments.isSubset(three.get("m1"), two.get("m1"))).isTrue();
        assertThat(Assignments.isSubset(three.get("m3"), two.get("m3"))).isTrue();
    }

    @Test
    void rangeKeepsAnExtraPartitionWithAMemberThatHadMoreThanItsShare() {
        final Map<String, Map<UUID, Set<Integer>>> before = new TreeMap<>();
        before.put("m1", Map.of(A, Set.of(0, 1, 2, 3)));
        before.put("m2", Map.of(A, Set.of(4, 5, 6)));
        final var after = new RangeAssignor().assign(members("a", "m1", "m2", "m3"), topics(7, 0), before);
        assertThat(after.get("m1")).containsEntry(A, Set.of(0, 1, 2));
        assertThat(after.get("m2")).containsEntry(A, Set.of(4, 5));
        assertThat(after.get("m3")).containsEntry(A, Set.of(3, 6));
    }

    @Test
    void rangeKeepsCoPartitionedTopicsAlignedAcrossAJoin() {
        final RangeAssignor assignor = new RangeAssignor();
        final var two = assignor.assign(members("a,b", "m1", "m2"), topics(6, 6), Map.of());
        final var three = assignor.assign(members("a,b", "m1", "m2", "m0"), topics(6, 6), two);
        assertThat(total(three)).isEqualTo(12);
        for (Map<UUID, Set<Integer>> a : three.values()) {
            assertThat(a.get(A)).hasSize(2).isEqualTo(a.get(B));
        }
    }

    @Test
    void rangeSurvivesAPreviousAssignmentWithDuplicatesAndVanishedPartitions() {
        final Map<String, Map<UUID, Set<Integer>>> before = new TreeMap<>();
        before.put("m1", Map.of(A, Set.of(0, 1, 9)));
        before.put("m2", Map.of(A, Set.of(1, 2, 3)));
        final var after = new RangeAssignor().assign(members("a", "m1", "m2"), topics(4, 0), before);
        assertThat(total(after)).isEqualTo(4);
        assertThat(after.values()).allSatisfy(a -> assertThat(Assignments.count(a)).isEqualTo(2));
    }

    /**
     * Random joins and leaves of members with one subscription: every assignment is complete and balanced, a
     * join only takes partitions from the members already there and a leave only gives them partitions.
     */
    @Test
    void rangeMembershipChangesOnlyMovePartitionsOneWay() {
        membershipChangesOnlyMovePartitionsOneWay(new RangeAssignor());
    }

    @Test
    void uniformMembershipChangesOnlyMovePartitionsOneWay() {
        membershipChangesOnlyMovePartitionsOneWay(new UniformAssignor());
    }

    private static void membershipChangesOnlyMovePartitionsOneWay(ServerAssignor assignor) {
        final Random random = new Random(848);
        for (int run = 0; run < 200; run++) {
            final int partitions = 1 + random.nextInt(30);
            final List<String> ids = new ArrayList<>();
            Map<String, Map<UUID, Set<Integer>>> current = Map.of();
            for (int step = 0; step < 12; step++) {
                final boolean join = ids.size() < 2 || (ids.size() < 8 && random.nextBoolean());
                if (join) {
                    ids.add("m" + random.nextInt(1000) + "-" + step);
                } else {
                    ids.remove(random.nextInt(ids.size()));
                }
                final var next = assignor.assign(members("a", ids.toArray(new String[0])), topics(partitions, 0),
                        current);
                assertThat(total(next)).isEqualTo(partitions);
                final int max = next.values().stream().mapToInt(Assignments::count).max().orElseThrow();
                final int min = next.values().stream().mapToInt(Assignments::count).min().orElseThrow();
                assertThat(max - min).isLessThanOrEqualTo(1);
                for (Map.Entry<String, Map<UUID, Set<Integer>>> e : current.entrySet()) {
                    final Map<UUID, Set<Integer>> after = next.get(e.getKey());
                    if (after == null) {
                        continue;
                    }
                    if (join) {
                        assertThat(Assignments.isSubset(after, e.getValue())).as("a join: %s gains", e.getKey())
                                .isTrue();
                    } else {
                        assertThat(Assignments.isSubset(e.getValue(), after)).as("a leave: %s loses", e.getKey())
                                .isTrue();
                    }
                }
                current = next;
            }
        }
    }

    @Test
    void assignorsAreFoundByShortAndKafkaClassNames() {
        assertThat(ServerAssignor.named("uniform")).isInstanceOf(UniformAssignor.class);
        assertThat(ServerAssignor.named("org.apache.kafka.coordinator.group.assignor.RangeAssignor"))
                .isInstanceOf(RangeAssignor.class);
        assertThat(ServerAssignor.named("sticky")).isNull();
    }
}

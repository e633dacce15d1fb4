package dev.skiff.broker.internal.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** KIP-848 reconciliation rules, as a pure function. */
class ReconcilerTest {
    private static final UUID T = new UUID(0, 7);

    private static Map<UUID, Set<Integer>> parts(Integer... ps) {
        final Map<UUID, Set<Integer>> a = new TreeMap<>();
        for (int p : ps) {
            Assignments.add(a, T, p);
        }
        return a;
    }

    private static ConsumerGroupMember member(int epoch, Map<UUID, Set<Integer>> assigned) {
        final ConsumerGroupMember m = new ConsumerGroupMember("m");
        m.memberEpoch = epoch;
        m.assigned = assigned;
        return m;
    }

    @Test
    void newMemberGetsFreePartitionsAndTheTargetEpoch() {
        final var r = Reconciler.reconcile(member(0, parts()), 1, parts(0, 1), parts(), (t, p) -> false);
        assertThat(r.state()).isEqualTo(ConsumerGroupMember.State.STABLE);
        assertThat(r.memberEpoch()).isEqualTo(1);
        assertThat(r.assigned()).isEqualTo(parts(0, 1));
    }

    @Test
    void partitionsStillOwnedByOthersWaitAsUnreleased() {
        final var r = Reconciler.reconcile(member(0, parts()), 2, parts(0, 1), parts(), (t, p) -> p == 1);
        assertThat(r.state()).isEqualTo(ConsumerGroupMember.State.UNRELEASED_PARTITIONS);
        assertThat(r.memberEpoch()).isEqualTo(2);
        assertThat(r.assigned()).isEqualTo(parts(0));
    }

    @Test
    void memberMustRevokeBeforeGettingNewPartitionsAndKeepsItsEpoch() {
        final ConsumerGroupMember m = member(3, parts(0, 1, 2));
        final var r = Reconciler.reconcile(m, 4, parts(0, 3), parts(0, 1, 2), (t, p) -> false);
        assertThat(r.state()).isEqualTo(ConsumerGroupMember.State.UNREVOKED_PARTITIONS);
        assertThat(r.memberEpoch()).isEqualTo(3);
        assertThat(r.assigned()).isEqualTo(parts(0));
        assertThat(r.pendingRevocation()).isEqualTo(parts(1, 2));
    }

    @Test
    void revocationWithoutAPartitionListIsNotAcknowledged() {
        final ConsumerGroupMember m = member(3, parts(0));
        m.state = ConsumerGroupMember.State.UNREVOKED_PARTITIONS;
        m.pendingRevocation = parts(1, 2);
        final var r = Reconciler.reconcile(m, 4, parts(0, 3), null, (t, p) -> false);
        assertThat(r.state()).isEqualTo(ConsumerGroupMember.State.UNREVOKED_PARTITIONS);
        assertThat(r.memberEpoch()).isEqualTo(3);
    }

    @Test
    void acknowledgedRevocationMovesToTheTargetEpochWithNewPartitions() {
        final ConsumerGroupMember m = member(3, parts(0));
        m.state = ConsumerGroupMember.State.UNREVOKED_PARTITIONS;
        m.pendingRevocation = parts(1, 2);
        final var r = Reconciler.reconcile(m, 4, parts(0, 3), parts(0), (t, p) -> false);
        assertThat(r.state()).isEqualTo(ConsumerGroupMember.State.STABLE);
        assertThat(r.memberEpoch()).isEqualTo(4);
        assertThat(r.assigned()).isEqualTo(parts(0, 3));
        assertThat(r.pendingRevocation()).isEmpty();
    }

    @Test
    void stableMemberAtTheTargetEpochStaysAsItIs() {
        final ConsumerGroupMember m = member(5, parts(0, 1));
        final var r = Reconciler.reconcile(m, 5, parts(0, 1), null, (t, p) -> true);
        assertThat(r.state()).isEqualTo(ConsumerGroupMember.State.STABLE);
        assertThat(r.assigned()).isSameAs(m.assigned);
    }

    @Test
    void unreleasedMemberGetsPartitionsOnceTheyAreFree() {
        final ConsumerGroupMember m = member(2, parts(0));
        m.state = ConsumerGroupMember.State.UNRELEASED_PARTITIONS;
        final var r = Reconciler.reconcile(m, 2, parts(0, 1), null, (t, p) -> false);
        assertThat(r.state()).isEqualTo(ConsumerGroupMember.State.STABLE);
        assertThat(r.assigned()).isEqualTo(parts(0, 1));
    }
}

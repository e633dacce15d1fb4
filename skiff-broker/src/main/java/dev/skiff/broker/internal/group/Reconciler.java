package dev.skiff.broker.internal.group;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * Moves one member of a consumer group towards its target assignment without ever letting two members own
 * a partition at once (KIP-848's reconciliation).
 *
 * <p>Design note: the three rules, applied each time the member heartbeats:
 * <ol>
 * <li>Partitions the member owns but the target no longer gives it are revoked first: while the member
 *     still owns any of them it stays at its epoch in UNREVOKED_PARTITIONS and gets no new partitions.</li>
 * <li>Once nothing is left to revoke, the member moves to the target epoch and gets every target partition
 *     that no other member owns.</li>
 * <li>Target partitions still owned by others (assigned to them or pending their revocation) are given later:
 *     the member stays in UNRELEASED_PARTITIONS and is reconciled again at its next heartbeat.</li>
 * </ol>
 * This class is a pure function of its inputs so that the rules are tested without a coordinator.
 */
final class Reconciler {
    /** The member's next state. */
    record Result(ConsumerGroupMember.State state, int memberEpoch, Map<UUID, Set<Integer>> assigned,
                  Map<UUID, Set<Integer>> pendingRevocation) {
    }

    private Reconciler() {
    }

    /**
     * @param member      the member as the group knows it
     * @param targetEpoch the epoch of the group's target assignment
     * @param target      the member's partitions in the target assignment
     * @param owned       the partitions the member says it owns, or null when it did not send them (unchanged)
     * @param heldByOther whether another member owns a partition (topic id, partition)
     */
    static Result reconcile(ConsumerGroupMember member, int targetEpoch, Map<UUID, Set<Integer>> target,
                            Map<UUID, Set<Integer>> owned, BiPredicate<UUID, Integer> heldByOther) {
        switch (member.state) {
            case UNREVOKED_PARTITIONS:
                if (owned != null && !Assignments.overlaps(member.pendingRevocation, owned)) {
                    return next(member, targetEpoch, target, owned, heldByOther);
                }
                return same(member);
            case UNRELEASED_PARTITIONS:
                return next(member, targetEpoch, target, owned, heldByOther);
            case STABLE:
            default:
                if (member.memberEpoch != targetEpoch) {
                    return next(member, targetEpoch, target, owned, heldByOther);
                }
                return same(member);
        }
    }

    private static Result same(ConsumerGroupMember m) {
        return new Result(m.state, m.memberEpoch, m.assigned, m.pendingRevocation);
    }

    private static Result next(ConsumerGroupMember member, int targetEpoch, Map<UUID, Set<Integer>> target,
                               Map<UUID, Set<Integer>> owned, BiPredicate<UUID, Integer> heldByOther) {
        final Map<UUID, Set<Integer>> kept = Assignments.intersect(member.assigned, target);
        final Map<UUID, Set<Integer>> revoke = Assignments.minus(member.assigned, target);
        // Without a partition list from the member, assume it still owns whatever it was asked to revoke.
        if (!revoke.isEmpty() && (owned == null || Assignments.overlaps(revoke, owned))) {
            return new Result(ConsumerGroupMember.State.UNREVOKED_PARTITIONS, member.memberEpoch, kept, revoke);
        }
        final Map<UUID, Set<Integer>> assigned = Assignments.copy(kept);
        boolean unreleased = false;
        for (Map.Entry<UUID, Set<Integer>> e : Assignments.minus(target, member.assigned).entrySet()) {
            for (int p : e.getValue()) {
                if (heldByOther.test(e.getKey(), p)) {
                    unreleased = true;
                } else {
                    Assignments.add(assigned, e.getKey(), p);
                }
            }
        }
        return new Result(unreleased ? ConsumerGroupMember.State.UNRELEASED_PARTITIONS
                : ConsumerGroupMember.State.STABLE, targetEpoch, assigned, Assignments.empty());
    }
}

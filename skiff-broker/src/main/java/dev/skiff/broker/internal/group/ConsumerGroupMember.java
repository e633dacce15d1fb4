package dev.skiff.broker.internal.group;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One member of a KIP-848 consumer group, owned by the coordinator thread.
 *
 * <p>The member's epoch is the group epoch of the target assignment it has reconciled to. Its
 * {@link #assigned} partitions are the ones it may use now; {@link #pendingRevocation} are the ones it
 * still owns but must give up before anybody else gets them. Both count as owned by this member until
 * the member acknowledges the revocation by sending a partition list without them.
 */
final class ConsumerGroupMember {
    /** Epoch a static member keeps while it is temporarily away (it left with epoch -2). */
    static final int LEFT_STATIC_EPOCH = -2;

    /** Where the member stands in reconciling to its target assignment. */
    enum State {
        /** It holds its target assignment (or as much of it as the target epoch gives). */
        STABLE,
        /** It must revoke {@link #pendingRevocation} first; its epoch waits. */
        UNREVOKED_PARTITIONS,
        /** It has the target epoch but waits for partitions other members still own. */
        UNRELEASED_PARTITIONS
    }

    final String memberId;
    String instanceId;
    String rackId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    /** The ServerAssignor the member asked for, or null. */
    String serverAssignor;
    /** Sorted topic names it subscribes to. */
    List<String> subscribedTopicNames = List.of();
    int memberEpoch;
    int previousMemberEpoch = -1;
    State state = State.STABLE;
    Map<UUID, Set<Integer>> assigned = Assignments.empty();
    Map<UUID, Set<Integer>> pendingRevocation = Assignments.empty();
    /** Session expiry: the last heartbeat plus group.consumer.session.timeout.ms. */
    long sessionDeadlineMs;
    /** While revoking: when the member is removed if it has not acknowledged (rebalance timeout), else -1. */
    long revocationDeadlineMs = -1;

    ConsumerGroupMember(String memberId) {
        this.memberId = memberId;
    }

    boolean isStatic() {
        return instanceId != null;
    }

    /** What is persisted of this member (deadlines are not), with its target; copies, so later changes don't leak. */
    GroupRecords.StoredConsumerMember toStored(Map<UUID, Set<Integer>> target) {
        return new GroupRecords.StoredConsumerMember(memberId, instanceId, rackId, clientId, clientHost,
                serverAssignor, rebalanceTimeoutMs, memberEpoch, previousMemberEpoch, state, subscribedTopicNames,
                Assignments.copy(assigned), Assignments.copy(pendingRevocation), Assignments.copy(target));
    }

    /** A member rebuilt from its record; its deadlines are unset. */
    static ConsumerGroupMember restore(GroupRecords.StoredConsumerMember stored) {
        final ConsumerGroupMember m = new ConsumerGroupMember(stored.memberId());
        m.instanceId = stored.instanceId();
        m.rackId = stored.rackId();
        m.clientId = stored.clientId();
        m.clientHost = stored.clientHost();
        m.serverAssignor = stored.serverAssignor();
        m.rebalanceTimeoutMs = stored.rebalanceTimeoutMs();
        m.memberEpoch = stored.memberEpoch();
        m.previousMemberEpoch = stored.previousMemberEpoch();
        m.state = stored.state();
        m.subscribedTopicNames = List.copyOf(stored.subscribedTopicNames());
        m.assigned = Assignments.copy(stored.assigned());
        m.pendingRevocation = Assignments.copy(stored.pendingRevocation());
        return m;
    }

    /** Applies a reconciliation; a changed epoch becomes the previous one. */
    void apply(Reconciler.Result r) {
        if (r.memberEpoch() != memberEpoch) {
            previousMemberEpoch = memberEpoch;
            memberEpoch = r.memberEpoch();
        }
        state = r.state();
        assigned = r.assigned();
        pendingRevocation = r.pendingRevocation();
    }
}

package dev.skiff.broker.internal.group;

import dev.skiff.protocol.Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The KIP-848 side of a group id ({@code group.protocol=consumer}): group epoch, members, target assignment
 * and who owns which partition. Owned by the coordinator thread; nothing here is thread-safe.
 *
 * <p>Design note: a {@link Group} holds the committed offsets of its id whatever the protocol; it points to
 * one of these while the id is a consumer group, and its classic side then stays Empty. The group epoch
 * moves whenever the members' subscriptions or the subscribed topics' partitions change; the target
 * assignment is recomputed for that epoch (the assignment epoch), and members reconcile towards it one
 * heartbeat at a time. The whole state but the timers is persisted in the group log as one consumer group
 * record ({@link #toStored}, {@link #restore}), so after a broker restart a member carries on with its epoch.
 */
final class ConsumerGroup {
    /** The states Kafka shows for a consumer group. */
    enum State {
        EMPTY("Empty"), ASSIGNING("Assigning"), RECONCILING("Reconciling"), STABLE("Stable");

        final String kafkaName;

        State(String kafkaName) {
            this.kafkaName = kafkaName;
        }
    }

    /** One partition, as the owner map's key. */
    record Partition(UUID topic, int partition) {
    }

    final String groupId;
    int groupEpoch;
    int assignmentEpoch;
    final LinkedHashMap<String, ConsumerGroupMember> members = new LinkedHashMap<>();
    /** group.instance.id to the member id holding it. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Target assignment of {@link #assignmentEpoch}, by member id. */
    Map<String, Map<UUID, Set<Integer>>> target = new HashMap<>();
    /** Subscribed topics that exist, as the target was computed from: name to (id, partitions). */
    Map<String, ServerAssignor.Topic> subscribedTopics = new HashMap<>();
    /** Every partition some member owns (assigned or pending revocation), to that member's id. */
    final Map<Partition, String> owners = new HashMap<>();
    /** Name of the assignor that computed {@link #target}. */
    String assignorName;
    /** When the earliest pending timer of this group runs, or -1. */
    long checkScheduledAtMs = -1;

    ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    /** The group as persisted: epochs, assignor, subscribed topics and every member with its target. */
    GroupRecords.StoredConsumerGroup toStored() {
        final List<GroupRecords.StoredConsumerMember> stored = new ArrayList<>(members.size());
        for (ConsumerGroupMember m : members.values()) {
            stored.add(m.toStored(targetOf(m.memberId)));
        }
        return new GroupRecords.StoredConsumerGroup(groupEpoch, assignmentEpoch, assignorName,
                new LinkedHashMap<>(subscribedTopics), stored);
    }

    /**
     * A group rebuilt from its record, with the owner map and static members derived from the members.
     * Deadlines are left unset: the caller starts them afresh.
     */
    static ConsumerGroup restore(String groupId, GroupRecords.StoredConsumerGroup stored) {
        final ConsumerGroup group = new ConsumerGroup(groupId);
        group.groupEpoch = stored.groupEpoch();
        group.assignmentEpoch = stored.assignmentEpoch();
        group.assignorName = stored.assignorName();
        group.subscribedTopics = new HashMap<>(stored.subscribedTopics());
        for (GroupRecords.StoredConsumerMember sm : stored.members()) {
            group.add(ConsumerGroupMember.restore(sm));
            group.target.put(sm.memberId(), Assignments.copy(sm.target()));
        }
        return group;
    }

    boolean hasMembers() {
        return !members.isEmpty();
    }

    State state() {
        if (members.isEmpty()) {
            return State.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return State.ASSIGNING;
        }
        for (ConsumerGroupMember m : members.values()) {
            if (m.memberEpoch != assignmentEpoch || m.state != ConsumerGroupMember.State.STABLE) {
                return State.RECONCILING;
            }
        }
        return State.STABLE;
    }

    Map<UUID, Set<Integer>> targetOf(String memberId) {
        final Map<UUID, Set<Integer>> t = target.get(memberId);
        return t == null ? Assignments.empty() : t;
    }

    /** Whether a member other than {@code memberId} owns the partition. */
    boolean heldByOther(String memberId, UUID topic, int partition) {
        final String owner = owners.get(new Partition(topic, partition));
        return owner != null && !owner.equals(memberId);
    }

    void add(ConsumerGroupMember m) {
        members.put(m.memberId, m);
        if (m.instanceId != null) {
            staticMembers.put(m.instanceId, m.memberId);
        }
        own(m);
    }

    void remove(ConsumerGroupMember m) {
        disown(m);
        members.remove(m.memberId);
        target.remove(m.memberId);
        if (m.instanceId != null && m.memberId.equals(staticMembers.get(m.instanceId))) {
            staticMembers.remove(m.instanceId);
        }
    }

    /** Applies a reconciliation to a member and to the owner map. */
    void update(ConsumerGroupMember m, Reconciler.Result r) {
        disown(m);
        m.apply(r);
        own(m);
    }

    /** Releases everything the member owns (it rejoined with epoch 0, having dropped its partitions). */
    void releaseAll(ConsumerGroupMember m) {
        disown(m);
        m.assigned = Assignments.empty();
        m.pendingRevocation = Assignments.empty();
        m.state = ConsumerGroupMember.State.STABLE;
        m.revocationDeadlineMs = -1;
    }

    private void own(ConsumerGroupMember m) {
        forEach(m.assigned, p -> owners.put(p, m.memberId));
        forEach(m.pendingRevocation, p -> owners.put(p, m.memberId));
    }

    private void disown(ConsumerGroupMember m) {
        forEach(m.assigned, p -> owners.remove(p, m.memberId));
        forEach(m.pendingRevocation, p -> owners.remove(p, m.memberId));
    }

    private static void forEach(Map<UUID, Set<Integer>> a, java.util.function.Consumer<Partition> action) {
        a.forEach((topic, partitions) -> partitions.forEach(p -> action.accept(new Partition(topic, p))));
    }

    /** Every topic name some member subscribes to. */
    Set<String> subscribedTopicNames() {
        final Set<String> all = new TreeSet<>();
        for (ConsumerGroupMember m : members.values()) {
            all.addAll(m.subscribedTopicNames);
        }
        return all;
    }

    /** The assignor most members asked for, else {@code fallback}. */
    String preferredAssignor(String fallback) {
        final Map<String, Integer> votes = new LinkedHashMap<>();
        for (ConsumerGroupMember m : members.values()) {
            if (m.serverAssignor != null) {
                votes.merge(m.serverAssignor, 1, Integer::sum);
            }
        }
        String best = fallback;
        int most = 0;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    /**
     * OffsetCommit from this group (v9+ carry the member epoch), as Kafka validates it: a commit without a
     * member (epoch < 0) only while the group has no members; else a known member at its current epoch.
     */
    Errors validateOffsetCommit(String memberId, int memberEpoch, short version) {
        if (memberEpoch < 0 && members.isEmpty()) {
            return Errors.NONE;
        }
        final ConsumerGroupMember m = memberId == null ? null : members.get(memberId);
        if (m == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (version < 9) {
            // Only v9+ carry a member epoch; older versions cannot be checked against it.
            return Errors.UNSUPPORTED_VERSION;
        }
        return memberEpoch == m.memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    /** OffsetFetch v9+: an admin fetch (no member id, epoch < 0) always; else a known member at its epoch. */
    Errors validateOffsetFetch(String memberId, int memberEpoch) {
        if (memberId == null && memberEpoch < 0) {
            return Errors.NONE;
        }
        final ConsumerGroupMember m = memberId == null ? null : members.get(memberId);
        if (m == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return memberEpoch == m.memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }
}

package dev.skiff.broker.internal.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One group id: a classic group, or a KIP-848 consumer group ({@link #consumer}), and its committed offsets.
 * For a classic group: its state, generation, members and committed offsets. Owned by the coordinator
 * thread; nothing here is thread-safe.
 *
 * <p>Timers are plain deadlines ({@code -1} when unset): the coordinator schedules a check of the
 * group whenever it sets one, and a check evaluates every deadline against the clock, so a late or
 * duplicate check is harmless and a group is never left waiting on a timer that was lost.
 */
final class Group {
    final String groupId;
    GroupState state = GroupState.EMPTY;
    /** When the group entered its current state; offsets of an Empty group expire relative to it. */
    long stateTimestampMs;
    int generation;
    /** Null until the first member joins ("consumer" for KafkaConsumer); simple commit-only groups keep null. */
    String protocolType;
    String protocolName;
    String leaderId;
    final LinkedHashMap<String, GroupMember> members = new LinkedHashMap<>();
    /** KIP-394: member ids handed out with MEMBER_ID_REQUIRED, and when each expires unused. */
    final Map<String, Long> pendingMembers = new HashMap<>();
    /** KIP-345: group.instance.id to the member id currently holding it. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Members of the current generation that have not sent SyncGroup yet. */
    final Set<String> pendingSync = new LinkedHashSet<>();

    /** PreparingRebalance: when the join phase ends at the latest. */
    long joinDeadlineMs = -1;
    /** True while the first rebalance of an Empty group waits group.initial.rebalance.delay.ms. */
    boolean initialDelay;
    /** Initial delay bookkeeping: rebalance timeout left, and whether a member joined during the wait. */
    long initialDelayRemainingMs;
    boolean joinedDuringDelay;
    /** CompletingRebalance: when members that have not synced are dropped. */
    long syncDeadlineMs = -1;

    /** When the earliest pending check of this group runs, or -1; later deadlines wait for it. */
    long checkScheduledAtMs = -1;

    /** Committed offsets: topic to partition to offset. */
    final Map<String, Map<Integer, CommittedOffset>> offsets = new HashMap<>();

    /**
     * Non-null while this id is a KIP-848 consumer group ({@code group.protocol=consumer}); the classic side
     * above then stays Empty without members, and only the offsets are shared.
     */
    ConsumerGroup consumer;

    Group(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateTimestampMs = nowMs;
    }

    void transition(GroupState to, long nowMs) {
        state = to;
        stateTimestampMs = nowMs;
    }

    boolean is(GroupState s) {
        return state == s;
    }

    GroupMember member(String memberId) {
        return members.get(memberId);
    }

    boolean hasMembers() {
        return !members.isEmpty();
    }

    /** Whether this id is a consumer group (KIP-848) with members. */
    boolean hasConsumerMembers() {
        return consumer != null && consumer.hasMembers();
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    /** KIP-345: the instance id is held by a different member id. */
    boolean isFenced(String instanceId, String memberId) {
        if (instanceId == null) {
            return false;
        }
        final String holder = staticMembers.get(instanceId);
        return holder != null && !holder.equals(memberId);
    }

    void add(GroupMember member) {
        members.put(member.memberId, member);
        if (member.instanceId != null) {
            staticMembers.put(member.instanceId, member.memberId);
        }
        if (leaderId == null) {
            leaderId = member.memberId;
        }
    }

    void remove(String memberId) {
        final GroupMember removed = members.remove(memberId);
        if (removed == null) {
            return;
        }
        if (removed.instanceId != null && memberId.equals(staticMembers.get(removed.instanceId))) {
            staticMembers.remove(removed.instanceId);
        }
        pendingSync.remove(memberId);
        if (memberId.equals(leaderId)) {
            // Prefer a member already waiting in the join phase: it will get the members' metadata.
            leaderId = null;
            for (GroupMember m : members.values()) {
                if (m.isAwaitingJoin()) {
                    leaderId = m.memberId;
                    break;
                }
            }
            if (leaderId == null && !members.isEmpty()) {
                leaderId = members.keySet().iterator().next();
            }
        }
    }

    /** The join phase can end: every member has rejoined and no KIP-394 member id is outstanding. */
    boolean allMembersJoined() {
        if (!pendingMembers.isEmpty()) {
            return false;
        }
        for (GroupMember m : members.values()) {
            if (!m.isAwaitingJoin()) {
                return false;
            }
        }
        return true;
    }

    int maxRebalanceTimeoutMs() {
        int max = 0;
        for (GroupMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    /**
     * Whether a member with these protocols may join: the first member needs a protocol type and at
     * least one protocol; later ones must match the type and share a protocol with every member.
     */
    boolean supports(String type, List<GroupMember.Protocol> protocols) {
        if (type == null || type.isEmpty() || protocols.isEmpty()) {
            return false;
        }
        if (members.isEmpty()) {
            return true;
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        for (GroupMember.Protocol p : protocols) {
            if (candidates().contains(p.name())) {
                return true;
            }
        }
        return false;
    }

    /** Protocols every member supports, in the first member's order of preference. */
    List<String> candidates() {
        final List<String> common = new ArrayList<>();
        if (members.isEmpty()) {
            return common;
        }
        outer:
        for (GroupMember.Protocol p : members.values().iterator().next().protocols) {
            for (GroupMember m : members.values()) {
                if (!m.supports(p.name())) {
                    continue outer;
                }
            }
            common.add(p.name());
        }
        return common;
    }

    /** Kafka's vote: each member votes for its most preferred common protocol; most votes wins. */
    String selectProtocol() {
        final List<String> candidates = candidates();
        final Map<String, Integer> votes = new LinkedHashMap<>();
        for (String c : candidates) {
            votes.put(c, 0);
        }
        for (GroupMember m : members.values()) {
            for (GroupMember.Protocol p : m.protocols) {
                if (votes.containsKey(p.name())) {
                    votes.merge(p.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        int bestVotes = -1;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (e.getValue() > bestVotes) {
                best = e.getKey();
                bestVotes = e.getValue();
            }
        }
        return best;
    }

    CommittedOffset offset(String topic, int partition) {
        final Map<Integer, CommittedOffset> byPartition = offsets.get(topic);
        return byPartition == null ? null : byPartition.get(partition);
    }

    void putOffset(String topic, int partition, CommittedOffset offset) {
        offsets.computeIfAbsent(topic, t -> new HashMap<>()).put(partition, offset);
    }

    void removeOffset(String topic, int partition) {
        final Map<Integer, CommittedOffset> byPartition = offsets.get(topic);
        if (byPartition != null) {
            byPartition.remove(partition);
            if (byPartition.isEmpty()) {
                offsets.remove(topic);
            }
        }
    }

    boolean hasOffsets() {
        return !offsets.isEmpty();
    }

    /** The group as persisted: members with the selected protocol's metadata and their assignment. */
    GroupRecords.StoredGroup toStored() {
        final List<GroupRecords.StoredMember> stored = new ArrayList<>(members.size());
        for (GroupMember m : members.values()) {
            final byte[] subscription = protocolName == null ? null : m.metadata(protocolName);
            stored.add(new GroupRecords.StoredMember(m.memberId, m.instanceId, m.clientId, m.clientHost,
                    m.rebalanceTimeoutMs, m.sessionTimeoutMs, subscription == null ? new byte[0] : subscription,
                    m.assignment));
        }
        return new GroupRecords.StoredGroup(protocolType, generation, protocolName, leaderId, stateTimestampMs,
                stored);
    }
}

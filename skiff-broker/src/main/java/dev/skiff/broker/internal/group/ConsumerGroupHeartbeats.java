package dev.skiff.broker.internal.group;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.skiff.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ConsumerGroupHeartbeat (KIP-848) on the coordinator thread: joins (epoch 0), heartbeats, leaves (epoch -1,
 * or -2 for a static member that will come back), the group epoch, the target assignment, reconciliation,
 * and the session and revocation timers.
 *
 * <p>Design note: every heartbeat runs the same pipeline. (1) Find or create the member, fencing stale
 * epochs and instance ids. (2) Apply what changed in its request; a changed subscription, a new member or
 * a change in the subscribed topics' partitions (created topics, added partitions) bumps the group epoch.
 * (3) If the group epoch is ahead of the target assignment, the server assignor recomputes the target.
 * (4) {@link Reconciler} moves this member one step towards its target. The answer carries the assignment
 * only when it changed (or on a join or a full request), as Kafka does.
 *
 * <p>Durability: when a request changed what {@link ConsumerGroup#toStored} holds (a member's epoch,
 * assignment or subscription, the group epoch or target, membership) the group's record is rewritten in the
 * {@link GroupLog} by {@link ConsumerGroupWriter} before the answer goes out; plain heartbeats write nothing.
 * The answer does not wait for the fsync, as Kafka's coordinator (which never fsyncs) does not: the record
 * survives a broker crash or restart in the page cache, and waiting would widen the window in which a
 * commit still carrying the previous epoch meets STALE_MEMBER_EPOCH, which kafka-clients' commitSync raises
 * as CommitFailedException. A power cut can lose the last change; the member is then fenced and rejoins,
 * nothing worse. After a restart {@link #restored} gives every member a fresh session, so a member that
 * heartbeats again carries on with its epoch and one that never comes back expires.
 *
 * <p>Held answers ({@link #heartbeat(ConsumerGroupHeartbeatRequestData, short, String, String, Consumer)}): a
 * member reconciled into UNRELEASED_PARTITIONS learns of partitions freed for it only at its next heartbeat, a
 * whole interval later. When some of the partitions it waits for belong to members that have already been told
 * to revoke them (they are in UNREVOKED_PARTITIONS), their acknowledgement is normally a few milliseconds away:
 * kafka-clients acknowledges a revocation at once, and a member that joins right after a rebalance (the common
 * case, and group-bench.sh's "join" step) has its regular heartbeat just after theirs. So instead of answering
 * at once, the answer waits until those partitions are released or the member no longer waits for them, at most
 * {@link #MAX_HOLD_MS} (and half a heartbeat interval), and then carries the member's assignment as it is by
 * then. The member is not answered later than its next heartbeat would have been, nothing is given before it
 * is released, and the state is written as for any heartbeat; only the answer is late. Kafka answers at once;
 * its own join path is slower than Skiff's, which is why the same race rarely goes against its members.
 *
 * <p>Where Skiff differs from Kafka: a heartbeat with a positive epoch for a group this coordinator does
 * not know gets UNKNOWN_MEMBER_ID rather than GROUP_ID_NOT_FOUND (kafka-clients treats GROUP_ID_NOT_FOUND
 * as fatal but rejoins after UNKNOWN_MEMBER_ID). A classic member cannot join a consumer group (Kafka 4
 * can mix them).
 */
final class ConsumerGroupHeartbeats {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupHeartbeats.class);

    private final Map<String, Group> groups;
    private final CoordinatorScheduler scheduler;
    private final ConsumerGroupConfig config;
    private final TopicCatalog topics;
    private final GroupLog log;
    private final ConsumerGroupWriter writer;
    /** Answers held back for members waiting for partitions that are being revoked; see the class note. */
    private final Map<ConsumerGroupMember, Held> held = new IdentityHashMap<>();

    /** Upper bound on how long an answer is held, whatever the heartbeat interval. */
    static final long MAX_HOLD_MS = 1_000;

    /** An answer not sent yet: what to complete it with once the member's partitions are released. */
    private static final class Held {
        final Consumer<ConsumerGroupHeartbeatResponseData> respond;
        final ConsumerGroupHeartbeatResponseData response;
        /** The partitions the member said it owns in the held request, or null. */
        final Map<UUID, Set<Integer>> owned;
        /** The member's assignment when the answer was built (what the answer holds, or what the member has). */
        final Map<UUID, Set<Integer>> assignedWhenHeld;

        Held(Consumer<ConsumerGroupHeartbeatResponseData> respond, ConsumerGroupHeartbeatResponseData response,
             Map<UUID, Set<Integer>> owned, Map<UUID, Set<Integer>> assignedWhenHeld) {
            this.respond = respond;
            this.response = response;
            this.owned = owned;
            this.assignedWhenHeld = assignedWhenHeld;
        }
    }

    ConsumerGroupHeartbeats(Map<String, Group> groups, CoordinatorScheduler scheduler, ConsumerGroupConfig config,
                            TopicCatalog topics, GroupLog log) {
        this.groups = groups;
        this.scheduler = scheduler;
        this.config = config;
        this.topics = topics;
        this.log = log;
        this.writer = new ConsumerGroupWriter(log);
    }

    ConsumerGroupConfig config() {
        return config;
    }

    /** Signals an error answer from deep in the pipeline; never escapes this class. */
    private static final class Refusal extends RuntimeException {
        final Errors error;

        Refusal(Errors error, String message) {
            super(message, null, false, false);
            this.error = error;
        }
    }

    /** ConsumerGroupHeartbeat answered at once, never held (see the class note on held answers). */
    ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData req, short version,
                                                 String clientId, String clientHost) {
        try {
            validate(req, version);
            if (req.memberEpoch() < 0) {
                return leave(req);
            }
            return join(req, version, clientId, clientHost);
        } catch (Refusal r) {
            return error(req, r.error, r.getMessage());
        }
    }

    /**
     * ConsumerGroupHeartbeat answered through {@code respond}: at once, or for a member that waits for partitions
     * their owners are revoking right now, once they are released (see the class note on held answers).
     */
    void heartbeat(ConsumerGroupHeartbeatRequestData req, short version, String clientId, String clientHost,
                   Consumer<ConsumerGroupHeartbeatResponseData> respond) {
        final ConsumerGroup before = consumerGroupOrNull(req.groupId());
        final ConsumerGroupMember sender = before == null || req.memberId() == null ? null
                : before.members.get(req.memberId());
        final Held earlier = sender == null ? null : held.get(sender);
        if (earlier != null) {
            // A member sends nothing else while a heartbeat is in flight but its leave: answer the first one first.
            release(before, sender, earlier);
        }
        final ConsumerGroupHeartbeatResponseData response = heartbeat(req, version, clientId, clientHost);
        final ConsumerGroup group = consumerGroupOrNull(req.groupId());
        if (group == null) {
            respond.accept(response);
            return;
        }
        releaseWaiting(group);
        final ConsumerGroupMember member = response.errorCode() == Errors.NONE.code() && response.memberEpoch() >= 0
                ? group.members.get(response.memberId()) : null;
        if (member != null && waitsForRevocation(group, member)) {
            hold(group, member, new Held(respond, response, owned(req.topicPartitions()), member.assigned));
        } else {
            respond.accept(response);
        }
    }

    private ConsumerGroup consumerGroupOrNull(String groupId) {
        final Group g = groupId == null ? null : groups.get(groupId);
        return g == null ? null : g.consumer;
    }

    /**
     * Whether the member waits for a partition whose owner has been told to revoke it (the owner is in
     * UNREVOKED_PARTITIONS with it pending revocation), so that the owner's acknowledgement is imminent.
     */
    private static boolean waitsForRevocation(ConsumerGroup group, ConsumerGroupMember member) {
        if (member.state != ConsumerGroupMember.State.UNRELEASED_PARTITIONS) {
            return false;
        }
        for (Map.Entry<UUID, Set<Integer>> e : Assignments.minus(group.targetOf(member.memberId), member.assigned)
                .entrySet()) {
            for (int p : e.getValue()) {
                final String ownerId = group.owners.get(new ConsumerGroup.Partition(e.getKey(), p));
                final ConsumerGroupMember owner = ownerId == null || ownerId.equals(member.memberId) ? null
                        : group.members.get(ownerId);
                if (owner != null && owner.state == ConsumerGroupMember.State.UNREVOKED_PARTITIONS
                        && Assignments.contains(owner.pendingRevocation, e.getKey(), p)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void hold(ConsumerGroup group, ConsumerGroupMember member, Held h) {
        held.put(member, h);
        scheduler.schedule(() -> {
            if (held.get(member) == h) {
                release(group, member, h);
            }
        }, Math.min(MAX_HOLD_MS, config.heartbeatIntervalMs() / 2));
    }

    /** Sends the held answers of the group's members that no longer wait for a revocation. */
    private void releaseWaiting(ConsumerGroup group) {
        if (held.isEmpty()) {
            return;
        }
        final List<ConsumerGroupMember> ready = new ArrayList<>();
        for (ConsumerGroupMember m : group.members.values()) {
            if (held.containsKey(m) && !waitsForRevocation(group, m)) {
                ready.add(m);
            }
        }
        for (ConsumerGroupMember m : ready) {
            final Held h = held.get(m);
            if (h != null) {
                release(group, m, h);
            }
        }
    }

    /** Reconciles a held member again (it takes what was released meanwhile) and sends its answer. */
    private void release(ConsumerGroup group, ConsumerGroupMember member, Held h) {
        held.remove(member);
        final long now = scheduler.nowMs();
        final Group g = groups.get(group.groupId);
        if (g == null || g.consumer != group || group.members.get(member.memberId) != member) {
            h.respond.accept(h.response.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code())
                    .setErrorMessage("Member " + member.memberId + " left consumer group " + group.groupId + ".")
                    .setMemberEpoch(-1).setAssignment(null));
            return;
        }
        final ConsumerGroupWriter.Snapshot before = ConsumerGroupWriter.Snapshot.of(group, member);
        reconcile(group, member, h.owned, now);
        scheduleCheck(group);
        h.response.setMemberEpoch(member.memberEpoch);
        if (h.response.assignment() != null || !member.assigned.equals(h.assignedWhenHeld)) {
            h.response.setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment()
                    .setTopicPartitions(toResponse(member.assigned)));
        }
        if (!before.equals(ConsumerGroupWriter.Snapshot.of(group, member)) && !writer.write(group, now)) {
            h.respond.accept(h.response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                    .setErrorMessage("The group state could not be stored.").setMemberEpoch(-1).setAssignment(null));
            return;
        }
        h.respond.accept(h.response);
    }

    private static ConsumerGroupHeartbeatResponseData error(ConsumerGroupHeartbeatRequestData req, Errors error,
                                                            String message) {
        return new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code()).setErrorMessage(message)
                .setMemberId(req.memberId()).setMemberEpoch(-1);
    }

    private void validate(ConsumerGroupHeartbeatRequestData req, short version) {
        if (req.groupId() == null || req.groupId().isEmpty()) {
            throw new Refusal(Errors.INVALID_REQUEST, "GroupId can't be empty.");
        }
        if (req.instanceId() != null && req.instanceId().isEmpty()) {
            throw new Refusal(Errors.INVALID_REQUEST, "InstanceId can't be empty.");
        }
        if (req.rackId() != null && req.rackId().isEmpty()) {
            throw new Refusal(Errors.INVALID_REQUEST, "RackId can't be empty.");
        }
        final boolean noMemberId = req.memberId() == null || req.memberId().isEmpty();
        if (noMemberId && (version >= 1 || req.memberEpoch() != 0)) {
            throw new Refusal(Errors.INVALID_REQUEST, "MemberId can't be empty.");
        }
        if (req.memberEpoch() < ConsumerGroupMember.LEFT_STATIC_EPOCH) {
            throw new Refusal(Errors.INVALID_REQUEST, "MemberEpoch is invalid.");
        }
        if (req.memberEpoch() == ConsumerGroupMember.LEFT_STATIC_EPOCH && req.instanceId() == null) {
            throw new Refusal(Errors.INVALID_REQUEST, "InstanceId can't be null.");
        }
        final String regex = version >= 1 ? req.subscribedTopicRegex() : null;
        if (regex != null && !regex.isEmpty()) {
            throw new Refusal(Errors.INVALID_REQUEST, "SubscribedTopicRegex is not supported by Skiff yet;"
                    + " subscribe with topic names or a java.util.regex.Pattern (resolved by the client).");
        }
        if (req.memberEpoch() == 0) {
            if (req.rebalanceTimeoutMs() == -1) {
                throw new Refusal(Errors.INVALID_REQUEST, "RebalanceTimeoutMs must be provided in first request.");
            }
            if (req.topicPartitions() == null || !req.topicPartitions().isEmpty()) {
                throw new Refusal(Errors.INVALID_REQUEST, "TopicPartitions must be empty when (re-)joining.");
            }
            if (req.subscribedTopicNames() == null) {
                throw new Refusal(Errors.INVALID_REQUEST, "SubscribedTopicNames must be set in first request.");
            }
        }
        if (req.serverAssignor() != null && !config.assignors().contains(req.serverAssignor())) {
            throw new Refusal(Errors.UNSUPPORTED_ASSIGNOR, "ServerAssignor " + req.serverAssignor()
                    + " is not supported. Supported assignors: " + String.join(", ", config.assignors()) + ".");
        }
    }

    // ---------------------------------------------------------------- join and heartbeat

    private ConsumerGroupHeartbeatResponseData join(ConsumerGroupHeartbeatRequestData req, short version,
                                                    String clientId, String clientHost) {
        final long now = scheduler.nowMs();
        final int epoch = req.memberEpoch();
        final boolean existed = groups.get(req.groupId()) != null && groups.get(req.groupId()).consumer != null;
        final ConsumerGroup group = consumerGroup(req.groupId(), epoch == 0, now);
        final String memberId = req.memberId() == null || req.memberId().isEmpty() ? UUID.randomUUID().toString()
                : req.memberId();
        final ConsumerGroupWriter.Snapshot before = existed
                ? ConsumerGroupWriter.Snapshot.of(group, group.members.get(memberId)) : null;
        final Map<UUID, Set<Integer>> owned = owned(req.topicPartitions());
        boolean bump = false;
        ConsumerGroupMember member;
        if (req.instanceId() != null) {
            final String holderId = group.staticMembers.get(req.instanceId());
            final ConsumerGroupMember holder = holderId == null ? null : group.members.get(holderId);
            if (epoch == 0) {
                if (holder == null || holder.memberId.equals(memberId)) {
                    member = rejoinOrCreate(group, memberId);
                    bump = holder == null;
                } else if (holder.memberEpoch == ConsumerGroupMember.LEFT_STATIC_EPOCH) {
                    member = replaceStatic(group, holder, memberId);
                } else {
                    throw new Refusal(Errors.UNRELEASED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                            + req.instanceId() + " cannot join group " + group.groupId
                            + ": the instance id is still used by member " + holder.memberId + ".");
                }
                member.instanceId = req.instanceId();
                group.staticMembers.put(req.instanceId(), member.memberId);
            } else {
                if (holder == null) {
                    throw new Refusal(Errors.UNKNOWN_MEMBER_ID, "Instance id " + req.instanceId()
                            + " is unknown in group " + group.groupId + ".");
                }
                if (!holder.memberId.equals(memberId)) {
                    throw new Refusal(Errors.FENCED_INSTANCE_ID, "Instance id " + req.instanceId()
                            + " is used by member " + holder.memberId + ".");
                }
                member = holder;
                checkEpoch(member, epoch, owned);
            }
        } else {
            member = group.members.get(memberId);
            if (epoch == 0) {
                bump = member == null;
                member = rejoinOrCreate(group, memberId);
            } else if (member == null) {
                throw new Refusal(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group "
                        + group.groupId + ".");
            } else {
                checkEpoch(member, epoch, owned);
            }
        }
        if (bump) {
            LOG.info("Member {} joins consumer group {}", memberId, group.groupId);
        }
        member.clientId = clientId;
        member.clientHost = clientHost;
        member.sessionDeadlineMs = now + config.sessionTimeoutMs();
        if (req.rackId() != null) {
            member.rackId = req.rackId();
        }
        if (req.rebalanceTimeoutMs() != -1) {
            member.rebalanceTimeoutMs = req.rebalanceTimeoutMs();
        }
        if (req.serverAssignor() != null && !req.serverAssignor().equals(member.serverAssignor)) {
            member.serverAssignor = req.serverAssignor();
            bump = true;
        }
        if (req.subscribedTopicNames() != null) {
            final List<String> names = new ArrayList<>(new TreeSet<>(req.subscribedTopicNames()));
            if (!names.equals(member.subscribedTopicNames)) {
                member.subscribedTopicNames = List.copyOf(names);
                bump = true;
            }
        }
        if (refreshTopics(group) || bump) {
            group.groupEpoch++;
        }
        if (group.groupEpoch > group.assignmentEpoch) {
            computeTarget(group);
        }
        final Map<UUID, Set<Integer>> assignedBefore = member.assigned;
        reconcile(group, member, owned, now);
        scheduleCheck(group);
        final ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setErrorCode(Errors.NONE.code())
                .setMemberId(member.memberId)
                .setMemberEpoch(member.memberEpoch)
                .setHeartbeatIntervalMs(config.heartbeatIntervalMs());
        final boolean full = req.rebalanceTimeoutMs() != -1 && req.subscribedTopicNames() != null && owned != null;
        if (epoch == 0 || full || !assignedBefore.equals(member.assigned)) {
            response.setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment()
                    .setTopicPartitions(toResponse(member.assigned)));
        }
        if ((before == null || !before.equals(ConsumerGroupWriter.Snapshot.of(group, member)))
                && !writer.write(group, now)) {
            return error(req, Errors.COORDINATOR_NOT_AVAILABLE, "The group state could not be stored.");
        }
        return response;
    }

    /**
     * A group just rebuilt from the log (broker start-up): every member gets a fresh session, and one in the
     * middle of a revocation a fresh rebalance timeout, counting from now, as classic members restored do.
     */
    void restored(ConsumerGroup group) {
        final long now = scheduler.nowMs();
        for (ConsumerGroupMember m : group.members.values()) {
            m.sessionDeadlineMs = now + config.sessionTimeoutMs();
            m.revocationDeadlineMs = m.state == ConsumerGroupMember.State.UNREVOKED_PARTITIONS
                    ? now + Math.max(0, m.rebalanceTimeoutMs) : -1;
        }
        scheduleCheck(group);
    }

    /** Kafka's fencing: a newer epoch than ours, or an older one other than a lost response's, is fenced. */
    private static void checkEpoch(ConsumerGroupMember member, int received, Map<UUID, Set<Integer>> owned) {
        if (received > member.memberEpoch) {
            throw new Refusal(Errors.FENCED_MEMBER_EPOCH, "The consumer group member has a greater member epoch ("
                    + received + ") than the one known by the group coordinator (" + member.memberEpoch
                    + "). The member must abandon all its partitions and rejoin.");
        }
        if (received < member.memberEpoch && (received != member.previousMemberEpoch || owned == null
                || !Assignments.isSubset(owned, member.assigned))) {
            throw new Refusal(Errors.FENCED_MEMBER_EPOCH, "The consumer group member has a smaller member epoch ("
                    + received + ") than the one known by the group coordinator (" + member.memberEpoch
                    + "). The member must abandon all its partitions and rejoin.");
        }
    }

    /** A joining member: a new one, or a known one that dropped its partitions before rejoining with epoch 0. */
    private static ConsumerGroupMember rejoinOrCreate(ConsumerGroup group, String memberId) {
        ConsumerGroupMember member = group.members.get(memberId);
        if (member == null) {
            member = new ConsumerGroupMember(memberId);
            group.add(member);
        } else {
            group.releaseAll(member);
        }
        return member;
    }

    /** A static member back under a new member id takes over the assignment its instance left with. */
    private static ConsumerGroupMember replaceStatic(ConsumerGroup group, ConsumerGroupMember old, String memberId) {
        final ConsumerGroupMember member = new ConsumerGroupMember(memberId);
        member.memberEpoch = old.previousMemberEpoch;
        member.previousMemberEpoch = old.previousMemberEpoch;
        member.state = old.state;
        member.assigned = old.assigned;
        member.pendingRevocation = old.pendingRevocation;
        member.subscribedTopicNames = old.subscribedTopicNames;
        member.serverAssignor = old.serverAssignor;
        member.rebalanceTimeoutMs = old.rebalanceTimeoutMs;
        final Map<UUID, Set<Integer>> target = group.target.get(old.memberId);
        group.remove(old);
        group.add(member);
        if (target != null) {
            group.target.put(memberId, target);
        }
        LOG.info("Static member {} of consumer group {} rejoins as {}", old.instanceId, group.groupId, memberId);
        return member;
    }

    private void reconcile(ConsumerGroup group, ConsumerGroupMember member, Map<UUID, Set<Integer>> owned,
                           long now) {
        if (member.memberEpoch == ConsumerGroupMember.LEFT_STATIC_EPOCH) {
            return;
        }
        final Reconciler.Result r = Reconciler.reconcile(member, group.assignmentEpoch,
                group.targetOf(member.memberId), owned, (t, p) -> group.heldByOther(member.memberId, t, p));
        group.update(member, r);
        if (member.state == ConsumerGroupMember.State.UNREVOKED_PARTITIONS) {
            if (member.revocationDeadlineMs < 0) {
                member.revocationDeadlineMs = now + Math.max(0, member.rebalanceTimeoutMs);
            }
        } else {
            member.revocationDeadlineMs = -1;
        }
    }

    /**
     * The consumer group {@code groupId}; an absent group, or an empty classic one (offsets only, or nobody
     * left), becomes a consumer group when a member joins, keeping its committed offsets.
     */
    private ConsumerGroup consumerGroup(String groupId, boolean joining, long now) {
        Group g = groups.get(groupId);
        if (g != null && g.consumer != null) {
            return g.consumer;
        }
        if (g != null && (g.hasMembers() || !g.is(GroupState.EMPTY) || !g.pendingMembers.isEmpty())) {
            throw new Refusal(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a consumer group.");
        }
        if (!joining) {
            throw new Refusal(Errors.UNKNOWN_MEMBER_ID, "Consumer group " + groupId + " is not known to this"
                    + " coordinator (it may have restarted); rejoin with member epoch 0.");
        }
        if (g == null) {
            g = new Group(groupId, now);
            groups.put(groupId, g);
        } else if (g.generation > 0 || g.protocolType != null) {
            // The classic group's record would bring it back as classic after a restart: remove it.
            log.append(List.of(new GroupLog.Entry(GroupRecords.groupKey(groupId), null)), now);
            g.generation = 0;
            g.protocolType = null;
            g.protocolName = null;
            g.leaderId = null;
            LOG.info("Converted the empty classic group {} to a consumer group", groupId);
        }
        g.consumer = new ConsumerGroup(groupId);
        return g.consumer;
    }

    /** Re-reads the subscribed topics; true when their ids or partition counts changed. */
    private boolean refreshTopics(ConsumerGroup group) {
        final Map<String, ServerAssignor.Topic> now = new HashMap<>();
        for (String name : group.subscribedTopicNames()) {
            final int partitions = topics.partitionCount(name);
            final UUID id = topics.topicId(name);
            if (partitions > 0 && id != null) {
                now.put(name, new ServerAssignor.Topic(id, name, partitions));
            }
        }
        if (now.equals(group.subscribedTopics)) {
            return false;
        }
        group.subscribedTopics = now;
        return true;
    }

    private void computeTarget(ConsumerGroup group) {
        final String name = group.preferredAssignor(config.assignors().get(0));
        ServerAssignor assignor = ServerAssignor.named(name);
        if (assignor == null) {
            assignor = ServerAssignor.named(config.assignors().get(0));
        }
        final Map<String, Set<String>> subscriptions = new LinkedHashMap<>();
        for (ConsumerGroupMember m : group.members.values()) {
            subscriptions.put(m.memberId, new TreeSet<>(m.subscribedTopicNames));
        }
        group.target = assignor.assign(subscriptions, group.subscribedTopics, group.target);
        group.assignmentEpoch = group.groupEpoch;
        group.assignorName = assignor.name();
    }

    // ---------------------------------------------------------------- leave and expiry

    private ConsumerGroupHeartbeatResponseData leave(ConsumerGroupHeartbeatRequestData req) {
        final long now = scheduler.nowMs();
        final Group g = groups.get(req.groupId());
        if (g == null || g.consumer == null) {
            throw new Refusal(g == null || !g.hasMembers() ? Errors.UNKNOWN_MEMBER_ID : Errors.GROUP_ID_NOT_FOUND,
                    "Member " + req.memberId() + " is not a member of consumer group " + req.groupId() + ".");
        }
        final ConsumerGroup group = g.consumer;
        final ConsumerGroupMember member;
        if (req.instanceId() != null) {
            final String holderId = group.staticMembers.get(req.instanceId());
            if (holderId == null) {
                throw new Refusal(Errors.UNKNOWN_MEMBER_ID, "Instance id " + req.instanceId() + " is unknown.");
            }
            if (!holderId.equals(req.memberId())) {
                throw new Refusal(Errors.FENCED_INSTANCE_ID, "Instance id " + req.instanceId()
                        + " is used by member " + holderId + ".");
            }
            member = group.members.get(holderId);
        } else {
            member = group.members.get(req.memberId());
            if (member == null) {
                throw new Refusal(Errors.UNKNOWN_MEMBER_ID, "Member " + req.memberId() + " is not a member of"
                        + " consumer group " + req.groupId() + ".");
            }
        }
        if (req.memberEpoch() == ConsumerGroupMember.LEFT_STATIC_EPOCH) {
            // Keeps its partitions (nobody else gets them) until it comes back or its session expires.
            if (member.memberEpoch != ConsumerGroupMember.LEFT_STATIC_EPOCH) {
                member.previousMemberEpoch = member.memberEpoch;
                member.memberEpoch = ConsumerGroupMember.LEFT_STATIC_EPOCH;
            }
            member.sessionDeadlineMs = now + config.sessionTimeoutMs();
            scheduleCheck(group);
            LOG.info("Static member {} ({}) of consumer group {} left temporarily", member.memberId,
                    member.instanceId, group.groupId);
        } else {
            LOG.info("Member {} leaves consumer group {}", member.memberId, group.groupId);
            removeMembers(g, List.of(member), now);
        }
        if (!writer.write(group, now)) {
            return error(req, Errors.COORDINATOR_NOT_AVAILABLE, "The group state could not be stored.");
        }
        return new ConsumerGroupHeartbeatResponseData().setErrorCode(Errors.NONE.code())
                .setMemberId(member.memberId).setMemberEpoch(req.memberEpoch());
    }

    /** Removes members (left, expired or fenced), bumps the group epoch and recomputes the target. */
    private void removeMembers(Group g, List<ConsumerGroupMember> leaving, long now) {
        final ConsumerGroup group = g.consumer;
        for (ConsumerGroupMember m : leaving) {
            group.remove(m);
            final Held h = held.get(m);
            if (h != null) {
                release(group, m, h);
            }
        }
        group.groupEpoch++;
        refreshTopics(group);
        computeTarget(group);
        if (!group.hasMembers()) {
            // Offsets of an empty group expire counting from now.
            g.transition(GroupState.EMPTY, now);
        }
    }

    /** Removes members whose session or revocation time ran out. */
    private void check(Group g) {
        final ConsumerGroup group = g.consumer;
        final long now = scheduler.nowMs();
        final List<ConsumerGroupMember> expired = new ArrayList<>();
        for (ConsumerGroupMember m : group.members.values()) {
            if (now >= m.sessionDeadlineMs) {
                LOG.info("Member {} of consumer group {} expired: no heartbeat within {} ms", m.memberId,
                        group.groupId, config.sessionTimeoutMs());
                expired.add(m);
            } else if (m.revocationDeadlineMs >= 0 && now >= m.revocationDeadlineMs) {
                LOG.info("Member {} of consumer group {} removed: it did not revoke its partitions within its"
                        + " rebalance timeout ({} ms)", m.memberId, group.groupId, m.rebalanceTimeoutMs);
                expired.add(m);
            }
        }
        if (!expired.isEmpty()) {
            removeMembers(g, expired, now);
            writer.write(group, now);
            releaseWaiting(group);
        }
    }

    /** One pending timer per group, at its earliest deadline (the pattern of {@link GroupTimers}). */
    private void scheduleCheck(ConsumerGroup group) {
        long next = Long.MAX_VALUE;
        for (ConsumerGroupMember m : group.members.values()) {
            next = Math.min(next, m.sessionDeadlineMs);
            if (m.revocationDeadlineMs >= 0) {
                next = Math.min(next, m.revocationDeadlineMs);
            }
        }
        if (next == Long.MAX_VALUE || (group.checkScheduledAtMs >= 0 && group.checkScheduledAtMs <= next)) {
            return;
        }
        final long at = next;
        group.checkScheduledAtMs = at;
        scheduler.schedule(() -> {
            final Group g = groups.get(group.groupId);
            if (g == null || g.consumer != group) {
                return;
            }
            if (group.checkScheduledAtMs == at) {
                group.checkScheduledAtMs = -1;
            }
            check(g);
            scheduleCheck(group);
        }, Math.max(0, at - scheduler.nowMs()));
    }

    // ---------------------------------------------------------------- conversions

    private static Map<UUID, Set<Integer>> owned(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> tps) {
        if (tps == null) {
            return null;
        }
        final Map<UUID, Set<Integer>> owned = Assignments.empty();
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions tp : tps) {
            for (int p : tp.partitions()) {
                Assignments.add(owned, tp.topicId(), p);
            }
        }
        return owned;
    }

    private static List<ConsumerGroupHeartbeatResponseData.TopicPartitions> toResponse(Map<UUID, Set<Integer>> a) {
        final List<ConsumerGroupHeartbeatResponseData.TopicPartitions> list = new ArrayList<>();
        a.forEach((topic, partitions) -> list.add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                .setTopicId(topic).setPartitions(new ArrayList<>(partitions))));
        return list;
    }
}

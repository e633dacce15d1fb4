package dev.skiff.broker.internal.group;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.HeartbeatRequestData;
import dev.skiff.protocol.message.JoinGroupRequestData;
import dev.skiff.protocol.message.JoinGroupResponseData;
import dev.skiff.protocol.message.LeaveGroupRequestData;
import dev.skiff.protocol.message.LeaveGroupResponseData;
import dev.skiff.protocol.message.SyncGroupRequestData;
import dev.skiff.protocol.message.SyncGroupResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic group membership protocol: JoinGroup, SyncGroup, Heartbeat, LeaveGroup and the timers
 * that keep groups moving. Runs only on the coordinator thread.
 *
 * <p>How a rebalance ends, whatever the members do:
 * <ul>
 *   <li>join phase: when every member has rejoined, or at the rebalance timeout (the largest of the
 *       members'), when members that did not rejoin are dropped (static ones stay until their session
 *       expires); the first rebalance of an empty group waits group.initial.rebalance.delay.ms, extended
 *       while members keep arriving, but never past the rebalance timeout;</li>
 *   <li>sync phase: when the leader's SyncGroup arrives, or at the rebalance timeout, when members that
 *       have not synced are dropped and a new rebalance starts;</li>
 *   <li>stable: a member whose session expires is dropped, which starts a rebalance.</li>
 * </ul>
 * Every pending JoinGroup and SyncGroup is answered exactly once: with its result, or with an error
 * when its member is removed, fenced or superseded.
 */
final class Rebalancer {
    private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);
    private static final byte[] EMPTY = new byte[0];

    private final Map<String, Group> groups;
    private final CoordinatorScheduler scheduler;
    private final GroupConfig config;
    private final GroupLog log;
    private final GroupTimers timers;

    Rebalancer(Map<String, Group> groups, CoordinatorScheduler scheduler, GroupConfig config, GroupLog log) {
        this.groups = groups;
        this.scheduler = scheduler;
        this.config = config;
        this.log = log;
        this.timers = new GroupTimers(groups, scheduler, this::check);
    }

    // ---------------------------------------------------------------- JoinGroup

    void join(JoinGroupRequestData req, short version, String clientId, String clientHost,
              Consumer<JoinGroupResponseData> respond) {
        final long now = scheduler.nowMs();
        final String groupId = req.groupId();
        final String memberId = req.memberId() == null ? "" : req.memberId();
        final String instanceId = version >= 5 ? req.groupInstanceId() : null;
        final int session = req.sessionTimeoutMs();
        final int rebalance = version >= 1 && req.rebalanceTimeoutMs() > 0 ? req.rebalanceTimeoutMs() : session;
        if (groupId == null || groupId.isEmpty()) {
            respond.accept(GroupResponses.joinError(memberId, Errors.INVALID_GROUP_ID, version));
            return;
        }
        if (session < config.minSessionTimeoutMs() || session > config.maxSessionTimeoutMs()) {
            respond.accept(GroupResponses.joinError(memberId, Errors.INVALID_SESSION_TIMEOUT, version));
            return;
        }
        final List<GroupMember.Protocol> protocols = new ArrayList<>();
        for (JoinGroupRequestData.JoinGroupRequestProtocol p : req.protocols()) {
            protocols.add(new GroupMember.Protocol(p.name(), p.metadata() == null ? EMPTY : p.metadata()));
        }
        Group group = groups.get(groupId);
        if (group == null) {
            if (!memberId.isEmpty()) {
                respond.accept(GroupResponses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID, version));
                return;
            }
            group = new Group(groupId, now);
            groups.put(groupId, group);
        }
        if (group.is(GroupState.DEAD)) {
            respond.accept(GroupResponses.joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE, version));
            return;
        }
        if (!group.supports(req.protocolType(), protocols)) {
            forgetIfUnused(group);
            respond.accept(GroupResponses.joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL, version));
            return;
        }
        final JoinArgs args = new JoinArgs(instanceId, clientId, clientHost, session, rebalance, req.protocolType(),
                protocols, version, respond);
        if (memberId.isEmpty()) {
            joinUnknownMember(group, args, now);
        } else {
            joinKnownMember(group, memberId, args, now);
        }
        scheduleNext(group);
    }

    /** What a JoinGroup brings, passed along the join paths. */
    private record JoinArgs(String instanceId, String clientId, String clientHost, int session, int rebalance,
                            String protocolType, List<GroupMember.Protocol> protocols, short version,
                            Consumer<JoinGroupResponseData> respond) {
    }

    private void joinUnknownMember(Group group, JoinArgs a, long now) {
        final String prefix = a.instanceId() != null ? a.instanceId() : (a.clientId() == null ? "" : a.clientId());
        final String newId = prefix + "-" + UUID.randomUUID();
        if (a.instanceId() != null) {
            final String oldId = group.staticMembers.get(a.instanceId());
            if (oldId != null && group.member(oldId) != null) {
                replaceStaticMember(group, group.member(oldId), newId, a, now);
            } else {
                addMemberAndRebalance(group, newId, a, now);
            }
        } else if (a.version() >= 4) {
            // KIP-394: hand out the id first, so a client that times out does not leave a ghost member.
            group.pendingMembers.put(newId, now + a.session());
            scheduleCheck(group, now + a.session());
            a.respond().accept(GroupResponses.joinError(newId, Errors.MEMBER_ID_REQUIRED, a.version()));
        } else {
            addMemberAndRebalance(group, newId, a, now);
        }
    }

    private void joinKnownMember(Group group, String memberId, JoinArgs a, long now) {
        if (group.pendingMembers.remove(memberId) != null) {
            addMemberAndRebalance(group, memberId, a, now);
            return;
        }
        if (group.isFenced(a.instanceId(), memberId)) {
            a.respond().accept(GroupResponses.joinError(memberId, Errors.FENCED_INSTANCE_ID, a.version()));
            return;
        }
        final GroupMember member = group.member(memberId);
        if (member == null || group.is(GroupState.EMPTY)) {
            a.respond().accept(GroupResponses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID, a.version()));
            return;
        }
        switch (group.state) {
            case PREPARING_REBALANCE:
                updateMemberAndRebalance(group, member, a, now);
                break;
            case COMPLETING_REBALANCE:
                if (member.sameProtocols(a.protocols())) {
                    // The member missed the join response; send it again.
                    member.heartbeatDeadlineMs = now + member.sessionTimeoutMs;
                    a.respond().accept(GroupResponses.joinResult(group, member, a.version(), false));
                } else {
                    updateMemberAndRebalance(group, member, a, now);
                }
                break;
            case STABLE:
                if (group.isLeader(memberId) || !member.sameProtocols(a.protocols())) {
                    updateMemberAndRebalance(group, member, a, now);
                } else {
                    member.heartbeatDeadlineMs = now + member.sessionTimeoutMs;
                    a.respond().accept(GroupResponses.joinResult(group, member, a.version(), false));
                }
                break;
            default:
                a.respond().accept(GroupResponses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID, a.version()));
        }
    }

    private void addMemberAndRebalance(Group group, String memberId, JoinArgs a, long now) {
        final GroupMember member = new GroupMember(memberId, a.instanceId(), a.clientId(), a.clientHost(),
                a.rebalance(), a.session(), a.protocols());
        member.isNew = true;
        member.awaitingJoin = a.respond();
        member.joinVersion = a.version();
        member.heartbeatDeadlineMs = now + config.newMemberJoinTimeoutMs();
        if (!group.hasMembers()) {
            group.protocolType = a.protocolType();
        }
        group.add(member);
        if (group.initialDelay) {
            group.joinedDuringDelay = true;
        }
        maybePrepareRebalance(group, now);
        maybeCompleteJoin(group, now);
        scheduleCheck(group, member.heartbeatDeadlineMs);
    }

    private void updateMemberAndRebalance(Group group, GroupMember member, JoinArgs a, long now) {
        if (member.awaitingJoin != null) {
            // A second JoinGroup from the same member supersedes the first; answer the first.
            member.awaitingJoin.accept(GroupResponses.joinError(member.memberId, Errors.REBALANCE_IN_PROGRESS, member.joinVersion));
        }
        member.protocols = a.protocols();
        member.rebalanceTimeoutMs = a.rebalance();
        member.sessionTimeoutMs = a.session();
        member.awaitingJoin = a.respond();
        member.joinVersion = a.version();
        member.heartbeatDeadlineMs = now + a.session();
        maybePrepareRebalance(group, now);
        maybeCompleteJoin(group, now);
    }

    /**
     * KIP-345: a static member rejoins with a new member id. The old id is fenced; in a Stable group
     * whose protocol still fits, the member gets its old assignment back without a rebalance.
     */
    private void replaceStaticMember(Group group, GroupMember old, String newId, JoinArgs a, long now) {
        final GroupMember member = new GroupMember(newId, a.instanceId(), a.clientId(), a.clientHost(),
                a.rebalance(), a.session(), a.protocols());
        member.assignment = old.assignment;
        member.heartbeatDeadlineMs = now + a.session();
        if (old.awaitingJoin != null) {
            old.awaitingJoin.accept(GroupResponses.joinError(old.memberId, Errors.FENCED_INSTANCE_ID, old.joinVersion));
            old.awaitingJoin = null;
        }
        if (old.awaitingSync != null) {
            old.awaitingSync.accept(GroupResponses.syncError(Errors.FENCED_INSTANCE_ID));
            old.awaitingSync = null;
        }
        final boolean wasLeader = group.isLeader(old.memberId);
        final boolean wasPendingSync = group.pendingSync.remove(old.memberId);
        replaceInPlace(group, old.memberId, member);
        if (wasLeader) {
            group.leaderId = newId;
        }
        if (wasPendingSync) {
            group.pendingSync.add(newId);
        }
        LOG.info("Static member {} of group {} rejoined as {} (was {})", a.instanceId(), group.groupId, newId,
                old.memberId);
        final boolean protocolStillFits = group.protocolName != null && member.supports(group.protocolName)
                && group.protocolName.equals(group.selectProtocol());
        if (group.is(GroupState.STABLE) && protocolStillFits && !(wasLeader && a.version() < 9)) {
            final short version = a.version();
            final Consumer<JoinGroupResponseData> respond = a.respond();
            // Built here, on the coordinator thread; sent once the new member id is durable.
            final JoinGroupResponseData result = GroupResponses.joinResult(group, member, version, wasLeader);
            persist(group, now).whenComplete((ok, failure) -> respond.accept(failure == null ? result
                    : GroupResponses.joinError(newId, Errors.COORDINATOR_NOT_AVAILABLE, version)));
            scheduleCheck(group, member.heartbeatDeadlineMs);
            return;
        }
        member.awaitingJoin = a.respond();
        member.joinVersion = a.version();
        maybePrepareRebalance(group, now);
        maybeCompleteJoin(group, now);
    }

    /** Replaces one entry of the group's member map, keeping its position (the leader sees the same order). */
    private static void replaceInPlace(Group group, String oldId, GroupMember replacement) {
        final List<GroupMember> ordered = new ArrayList<>(group.members.values());
        group.members.clear();
        for (GroupMember m : ordered) {
            final GroupMember put = m.memberId.equals(oldId) ? replacement : m;
            group.members.put(put.memberId, put);
        }
        group.staticMembers.put(replacement.instanceId, replacement.memberId);
    }

    private void maybePrepareRebalance(Group group, long now) {
        if (group.is(GroupState.STABLE) || group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.EMPTY)) {
            prepareRebalance(group, now);
        }
    }

    private void prepareRebalance(Group group, long now) {
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            // The assignment being synced is void: members must rejoin.
            for (GroupMember m : group.members.values()) {
                m.assignment = EMPTY;
                if (m.awaitingSync != null) {
                    final Consumer<SyncGroupResponseData> cb = m.awaitingSync;
                    m.awaitingSync = null;
                    // Its session restarts now: it was kept alive while parked, and must get time to rejoin.
                    m.heartbeatDeadlineMs = now + m.sessionTimeoutMs;
                    cb.accept(GroupResponses.syncError(Errors.REBALANCE_IN_PROGRESS));
                }
            }
        }
        group.pendingSync.clear();
        group.syncDeadlineMs = -1;
        final boolean wasEmpty = group.is(GroupState.EMPTY);
        group.transition(GroupState.PREPARING_REBALANCE, now);
        final int rebalanceTimeout = group.maxRebalanceTimeoutMs();
        // The first rebalance of an empty group completes from a timer, even with a delay of 0 (as Kafka's
        // coordinator does): the JoinGroups already queued behind this one, typically the other members of an
        // application starting together, join this first generation instead of forcing a second one.
        if (wasEmpty) {
            group.initialDelay = true;
            group.joinedDuringDelay = false;
            group.initialDelayRemainingMs = Math.max(rebalanceTimeout - config.initialRebalanceDelayMs(), 0);
            group.joinDeadlineMs = now + config.initialRebalanceDelayMs();
        } else {
            group.initialDelay = false;
            group.joinDeadlineMs = now + rebalanceTimeout;
        }
        LOG.debug("Group {} is rebalancing (generation {})", group.groupId, group.generation);
        scheduleCheck(group, group.joinDeadlineMs);
    }

    private void maybeCompleteJoin(Group group, long now) {
        if (group.is(GroupState.PREPARING_REBALANCE) && !group.initialDelay && group.allMembersJoined()) {
            completeJoin(group, now);
        }
    }

    private void completeJoin(Group group, long now) {
        group.initialDelay = false;
        group.joinDeadlineMs = -1;
        for (GroupMember m : new ArrayList<>(group.members.values())) {
            if (!m.isAwaitingJoin() && !m.isStatic()) {
                LOG.info("Member {} of group {} did not rejoin in time; removing it", m.memberId, group.groupId);
                group.remove(m.memberId);
            }
        }
        group.generation++;
        if (!group.hasMembers()) {
            group.protocolName = null;
            group.leaderId = null;
            group.transition(GroupState.EMPTY, now);
            LOG.info("Group {} is empty (generation {})", group.groupId, group.generation);
            persist(group, now);
            return;
        }
        group.protocolName = group.selectProtocol();
        final GroupMember leader = group.leaderId == null ? null : group.member(group.leaderId);
        if (leader == null || !leader.isAwaitingJoin()) {
            for (GroupMember m : group.members.values()) {
                if (m.isAwaitingJoin()) {
                    group.leaderId = m.memberId;
                    break;
                }
            }
        }
        group.transition(GroupState.COMPLETING_REBALANCE, now);
        group.pendingSync.clear();
        group.pendingSync.addAll(group.members.keySet());
        group.syncDeadlineMs = now + group.maxRebalanceTimeoutMs();
        LOG.info("Group {} generation {} formed with {} member(s), protocol {}, leader {}", group.groupId,
                group.generation, group.members.size(), group.protocolName, group.leaderId);
        for (GroupMember m : group.members.values()) {
            if (m.awaitingJoin != null) {
                final Consumer<JoinGroupResponseData> cb = m.awaitingJoin;
                m.awaitingJoin = null;
                m.isNew = false;
                m.heartbeatDeadlineMs = now + m.sessionTimeoutMs;
                cb.accept(GroupResponses.joinResult(group, m, m.joinVersion, false));
            }
        }
        scheduleNext(group);
    }

    // ---------------------------------------------------------------- SyncGroup

    void sync(SyncGroupRequestData req, short version, Consumer<SyncGroupResponseData> respond) {
        final long now = scheduler.nowMs();
        final Group group = groups.get(req.groupId());
        final String memberId = req.memberId();
        final String instanceId = version >= 3 ? req.groupInstanceId() : null;
        if (group == null) {
            respond.accept(GroupResponses.syncError(Errors.UNKNOWN_MEMBER_ID));
            return;
        }
        if (group.is(GroupState.DEAD)) {
            respond.accept(GroupResponses.syncError(Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (group.isFenced(instanceId, memberId)) {
            respond.accept(GroupResponses.syncError(Errors.FENCED_INSTANCE_ID));
            return;
        }
        final GroupMember member = group.member(memberId);
        if (member == null) {
            respond.accept(GroupResponses.syncError(Errors.UNKNOWN_MEMBER_ID));
            return;
        }
        if (req.generationId() != group.generation) {
            respond.accept(GroupResponses.syncError(Errors.ILLEGAL_GENERATION));
            return;
        }
        if (version >= 5 && ((req.protocolType() != null && !req.protocolType().equals(group.protocolType))
                || (req.protocolName() != null && !req.protocolName().equals(group.protocolName)))) {
            respond.accept(GroupResponses.syncError(Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        // Captured now: the answer may be sent from the log's flusher thread, which must not read the group.
        final String protocolType = group.protocolType;
        final String protocolName = group.protocolName;
        final Consumer<SyncGroupResponseData> answer = r -> respond.accept(version >= 5
                ? r.setProtocolType(protocolType).setProtocolName(protocolName) : r);
        switch (group.state) {
            case PREPARING_REBALANCE:
                respond.accept(GroupResponses.syncError(Errors.REBALANCE_IN_PROGRESS));
                break;
            case COMPLETING_REBALANCE:
                if (member.awaitingSync != null) {
                    member.awaitingSync.accept(GroupResponses.syncError(Errors.REBALANCE_IN_PROGRESS));
                }
                member.awaitingSync = answer;
                member.heartbeatDeadlineMs = now + member.sessionTimeoutMs;
                group.pendingSync.remove(memberId);
                if (group.isLeader(memberId)) {
                    completeSync(group, req.assignments(), now);
                }
                break;
            case STABLE:
                group.pendingSync.remove(memberId);
                member.heartbeatDeadlineMs = now + member.sessionTimeoutMs;
                answer.accept(new SyncGroupResponseData().setErrorCode(Errors.NONE.code())
                        .setAssignment(member.assignment));
                scheduleCheck(group, member.heartbeatDeadlineMs);
                break;
            default:
                respond.accept(GroupResponses.syncError(Errors.UNKNOWN_MEMBER_ID));
        }
        scheduleNext(group);
    }

    /** The leader's assignment arrived: store it, become Stable, answer every member waiting in SyncGroup. */
    private void completeSync(Group group, List<SyncGroupRequestData.SyncGroupRequestAssignment> assignments,
                              long now) {
        final Map<String, byte[]> byMember = new HashMap<>();
        for (SyncGroupRequestData.SyncGroupRequestAssignment a : assignments) {
            byMember.put(a.memberId(), a.assignment() == null ? EMPTY : a.assignment());
        }
        for (GroupMember m : group.members.values()) {
            m.assignment = byMember.getOrDefault(m.memberId, EMPTY);
        }
        group.transition(GroupState.STABLE, now);
        group.syncDeadlineMs = -1;
        // Members that have not synced yet get their assignment from the Stable branch when they do.
        group.pendingSync.clear();
        final int generation = group.generation;
        final List<GroupMember> waiting = new ArrayList<>();
        for (GroupMember m : group.members.values()) {
            if (m.awaitingSync != null) {
                waiting.add(m);
            }
        }
        final CompletableFuture<Void> stored = persist(group, now);
        for (GroupMember m : waiting) {
            final Consumer<SyncGroupResponseData> cb = m.awaitingSync;
            final byte[] assignment = m.assignment;
            m.awaitingSync = null;
            m.heartbeatDeadlineMs = now + m.sessionTimeoutMs;
            stored.whenComplete((ok, failure) -> cb.accept(failure == null
                    ? new SyncGroupResponseData().setErrorCode(Errors.NONE.code()).setAssignment(assignment)
                    : GroupResponses.syncError(Errors.COORDINATOR_NOT_AVAILABLE)));
        }
        stored.whenComplete((ok, failure) -> {
            if (failure != null) {
                // The members were told to retry; make them rejoin a fresh generation.
                scheduler.execute(() -> {
                    if (groups.get(group.groupId) == group && group.generation == generation
                            && group.is(GroupState.STABLE)) {
                        prepareRebalance(group, scheduler.nowMs());
                        maybeCompleteJoin(group, scheduler.nowMs());
                    }
                });
            }
        });
        LOG.info("Group {} generation {} is stable", group.groupId, generation);
        scheduleNext(group);
    }

    // ---------------------------------------------------------------- Heartbeat

    Errors heartbeat(HeartbeatRequestData req, short version) {
        final long now = scheduler.nowMs();
        final Group group = groups.get(req.groupId());
        final String instanceId = version >= 3 ? req.groupInstanceId() : null;
        if (group == null || group.is(GroupState.EMPTY)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (group.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (group.isFenced(instanceId, req.memberId())) {
            return Errors.FENCED_INSTANCE_ID;
        }
        final GroupMember member = group.member(req.memberId());
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (req.generationId() != group.generation) {
            return Errors.ILLEGAL_GENERATION;
        }
        member.heartbeatDeadlineMs = now + member.sessionTimeoutMs;
        return group.is(GroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    /** An offset commit from a member counts as a sign of life. */
    void touch(GroupMember member) {
        member.heartbeatDeadlineMs = Math.max(member.heartbeatDeadlineMs, scheduler.nowMs() + member.sessionTimeoutMs);
    }

    // ---------------------------------------------------------------- LeaveGroup

    LeaveGroupResponseData leave(LeaveGroupRequestData req, short version) {
        final long now = scheduler.nowMs();
        final List<LeaveGroupRequestData.MemberIdentity> leaving = new ArrayList<>();
        if (version >= 3) {
            leaving.addAll(req.members());
        } else {
            leaving.add(new LeaveGroupRequestData.MemberIdentity().setMemberId(req.memberId()));
        }
        final LeaveGroupResponseData response = new LeaveGroupResponseData().setErrorCode(Errors.NONE.code());
        final Group group = groups.get(req.groupId());
        if (group != null && group.is(GroupState.DEAD)) {
            return response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        for (LeaveGroupRequestData.MemberIdentity identity : leaving) {
            final Errors error = group == null ? Errors.UNKNOWN_MEMBER_ID : leaveOne(group, identity, now);
            response.members().add(new LeaveGroupResponseData.MemberResponse()
                    .setMemberId(identity.memberId())
                    .setGroupInstanceId(identity.groupInstanceId())
                    .setErrorCode(error.code()));
        }
        if (group != null) {
            scheduleNext(group);
        }
        if (version < 3) {
            // One member, its error at the top level; the members array does not exist before v3.
            final short code = response.members().get(0).errorCode();
            response.members().clear();
            response.setErrorCode(code);
        }
        return response;
    }

    private Errors leaveOne(Group group, LeaveGroupRequestData.MemberIdentity identity, long now) {
        final String instanceId = identity.groupInstanceId();
        String memberId = identity.memberId() == null ? "" : identity.memberId();
        if (memberId.isEmpty() && instanceId != null) {
            memberId = group.staticMembers.get(instanceId);
            if (memberId == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
        } else if (group.isFenced(instanceId, memberId)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        if (group.pendingMembers.remove(memberId) != null) {
            maybeCompleteJoin(group, now);
            return Errors.NONE;
        }
        final GroupMember member = group.member(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        LOG.info("Member {} left group {}", memberId, group.groupId);
        removeMemberAndUpdateGroup(group, member, now);
        return Errors.NONE;
    }

    private void removeMemberAndUpdateGroup(Group group, GroupMember member, long now) {
        if (member.awaitingJoin != null) {
            final Consumer<JoinGroupResponseData> cb = member.awaitingJoin;
            member.awaitingJoin = null;
            cb.accept(GroupResponses.joinError(member.memberId, Errors.UNKNOWN_MEMBER_ID, member.joinVersion));
        }
        if (member.awaitingSync != null) {
            final Consumer<SyncGroupResponseData> cb = member.awaitingSync;
            member.awaitingSync = null;
            cb.accept(GroupResponses.syncError(Errors.UNKNOWN_MEMBER_ID));
        }
        group.remove(member.memberId);
        switch (group.state) {
            case STABLE:
            case COMPLETING_REBALANCE:
                prepareRebalance(group, now);
                maybeCompleteJoin(group, now);
                break;
            case PREPARING_REBALANCE:
                maybeCompleteJoin(group, now);
                break;
            default:
                break;
        }
    }

    /** Answers every pending request of a group that is being deleted or shut down. */
    void failPending(Group group, Errors error) {
        for (GroupMember m : group.members.values()) {
            if (m.awaitingJoin != null) {
                final Consumer<JoinGroupResponseData> cb = m.awaitingJoin;
                m.awaitingJoin = null;
                cb.accept(GroupResponses.joinError(m.memberId, error, m.joinVersion));
            }
            if (m.awaitingSync != null) {
                final Consumer<SyncGroupResponseData> cb = m.awaitingSync;
                m.awaitingSync = null;
                cb.accept(GroupResponses.syncError(error));
            }
        }
    }

    // ---------------------------------------------------------------- timers

    /** Makes sure the group is checked at {@code atMs} or earlier. */
    void scheduleCheck(Group group, long atMs) {
        timers.scheduleCheck(group, atMs);
    }

    private void scheduleNext(Group group) {
        timers.scheduleNext(group);
    }

    /** Applies every deadline of {@code group} that has passed. Idempotent. */
    void check(Group group) {
        final long now = scheduler.nowMs();
        final Iterator<Map.Entry<String, Long>> pending = group.pendingMembers.entrySet().iterator();
        boolean pendingExpired = false;
        while (pending.hasNext()) {
            if (now >= pending.next().getValue()) {
                pending.remove();
                pendingExpired = true;
            }
        }
        for (GroupMember m : new ArrayList<>(group.members.values())) {
            if (group.member(m.memberId) == m && GroupTimers.isExpired(m, now)) {
                LOG.info("Member {} of group {} timed out (session {} ms); removing it", m.memberId, group.groupId,
                        m.sessionTimeoutMs);
                removeMemberAndUpdateGroup(group, m, now);
            }
        }
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            if (group.joinDeadlineMs >= 0 && now >= group.joinDeadlineMs) {
                if (group.initialDelay && group.joinedDuringDelay && group.initialDelayRemainingMs > 0) {
                    final long delay = Math.min(config.initialRebalanceDelayMs(), group.initialDelayRemainingMs);
                    group.initialDelayRemainingMs = Math.max(group.initialDelayRemainingMs
                            - config.initialRebalanceDelayMs(), 0);
                    group.joinedDuringDelay = false;
                    group.joinDeadlineMs = now + delay;
                } else {
                    completeJoin(group, now);
                }
            } else if (pendingExpired) {
                maybeCompleteJoin(group, now);
            }
        }
        if (group.is(GroupState.COMPLETING_REBALANCE) && group.syncDeadlineMs >= 0 && now >= group.syncDeadlineMs) {
            group.syncDeadlineMs = -1;
            for (String id : new ArrayList<>(group.pendingSync)) {
                final GroupMember m = group.member(id);
                if (m != null) {
                    LOG.info("Member {} of group {} did not sync in time; removing it", id, group.groupId);
                    removeMemberAndUpdateGroup(group, m, now);
                }
            }
            if (group.is(GroupState.COMPLETING_REBALANCE)) {
                // Everyone synced but the leader: the assignment will never come.
                prepareRebalance(group, now);
                maybeCompleteJoin(group, now);
            }
        }
    }

    // ---------------------------------------------------------------- persistence

    CompletableFuture<Void> persist(Group group, long now) {
        return log.append(List.of(new GroupLog.Entry(GroupRecords.groupKey(group.groupId),
                GroupRecords.groupValue(group.toStored()))), now);
    }

    /** Drops a group created by a JoinGroup that failed validation before anything happened in it. */
    private void forgetIfUnused(Group group) {
        if (group.is(GroupState.EMPTY) && group.generation == 0 && !group.hasMembers() && !group.hasOffsets()
                && group.pendingMembers.isEmpty() && Objects.equals(groups.get(group.groupId), group)) {
            groups.remove(group.groupId);
        }
    }
}

package dev.skiff.broker.internal.group;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ConsumerGroupDescribeResponseData;
import dev.skiff.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.skiff.protocol.message.ConsumerGroupHeartbeatResponseData;
import dev.skiff.protocol.message.DeleteGroupsResponseData;
import dev.skiff.protocol.message.DescribeGroupsResponseData;
import dev.skiff.protocol.message.HeartbeatRequestData;
import dev.skiff.protocol.message.JoinGroupRequestData;
import dev.skiff.protocol.message.JoinGroupResponseData;
import dev.skiff.protocol.message.LeaveGroupRequestData;
import dev.skiff.protocol.message.LeaveGroupResponseData;
import dev.skiff.protocol.message.ListGroupsRequestData;
import dev.skiff.protocol.message.ListGroupsResponseData;
import dev.skiff.protocol.message.OffsetCommitRequestData;
import dev.skiff.protocol.message.OffsetCommitResponseData;
import dev.skiff.protocol.message.OffsetDeleteRequestData;
import dev.skiff.protocol.message.OffsetDeleteResponseData;
import dev.skiff.protocol.message.SyncGroupRequestData;
import dev.skiff.protocol.message.SyncGroupResponseData;
import dev.skiff.storage.LogManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator: this single node coordinates every group, classic ones (JoinGroup/SyncGroup) and
 * KIP-848 consumer groups (ConsumerGroupHeartbeat), and stores their committed offsets.
 *
 * <p>A group id is either classic or a consumer group. A classic JoinGroup for a consumer group with
 * members gets INCONSISTENT_GROUP_PROTOCOL, a ConsumerGroupHeartbeat for a classic group with members gets
 * GROUP_ID_NOT_FOUND; an empty group of either kind becomes the other kind when a member of that kind
 * joins, keeping its committed offsets.
 *
 * <p>Design note: all group state lives on one thread (the {@link CoordinatorScheduler}). Handlers call
 * these methods from their event loops; each call hands its work to that thread and returns a future
 * completed with the response, immediately or later (a JoinGroup waits for the rebalance). Because a
 * future completes at most once, every request is answered exactly once even when a member leaves while
 * its JoinGroup is parked. State is made durable in {@link GroupLog} and rebuilt from it by
 * {@link #open}; members restored from the log get a fresh session, so consumers that reconnect after a
 * broker restart carry on with their generation (classic) or member epoch (KIP-848) instead of rebalancing.
 */
public final class GroupCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);
    /** AclOperation bits a group supports: READ, DELETE, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS. */
    static final int GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8) | (1 << 10) | (1 << 11);
    static final int OPERATIONS_OMITTED = Integer.MIN_VALUE;

    private final Map<String, Group> groups = new HashMap<>();
    private final CoordinatorScheduler scheduler;
    private final GroupConfig config;
    private final GroupLog log;
    private final Rebalancer rebalancer;
    private final OffsetManager offsets;
    private final ConsumerGroupHeartbeats consumerGroups;
    private final ConsumerGroupDescriber consumerDescriber;
    private volatile boolean closed;

    private GroupCoordinator(CoordinatorScheduler scheduler, GroupConfig config, ConsumerGroupConfig consumerConfig,
                             GroupLog log, TopicCatalog topics) {
        this.scheduler = scheduler;
        this.config = config;
        this.log = log;
        this.rebalancer = new Rebalancer(groups, scheduler, config, log);
        this.offsets = new OffsetManager(groups, scheduler, config, log, topics, rebalancer);
        this.consumerGroups = new ConsumerGroupHeartbeats(groups, scheduler, consumerConfig, topics, log);
        this.consumerDescriber = new ConsumerGroupDescriber(topics, consumerConfig.assignors().get(0));
    }

    /**
     * Opens the group log in {@code logs} (creating it on first start), replays it and starts the offset
     * expiry timer. Call before the listener accepts connections.
     */
    public static GroupCoordinator open(LogManager logs, GroupConfig config, TopicCatalog topics,
                                        CoordinatorScheduler scheduler) {
        return open(logs, config, ConsumerGroupConfig.defaults(), topics, scheduler);
    }

    /** As {@link #open(LogManager, GroupConfig, TopicCatalog, CoordinatorScheduler)}, with KIP-848 settings. */
    public static GroupCoordinator open(LogManager logs, GroupConfig config, ConsumerGroupConfig consumerConfig,
                                        TopicCatalog topics, CoordinatorScheduler scheduler) {
        final GroupCoordinator coordinator = new GroupCoordinator(scheduler, config, consumerConfig,
                GroupLog.open(logs, config.offsetsTopicSegmentBytes()), topics);
        final CompletableFuture<Void> loaded = new CompletableFuture<>();
        scheduler.execute(() -> {
            try {
                coordinator.load();
                loaded.complete(null);
            } catch (RuntimeException e) {
                loaded.completeExceptionally(e);
            }
        });
        loaded.join();
        coordinator.scheduleExpiry();
        return coordinator;
    }

    private void load() {
        final long start = System.nanoTime();
        final long now = scheduler.nowMs();
        final long records = log.replay(new GroupLog.Visitor() {
            @Override
            public void offset(String group, String topic, int partition, CommittedOffset value) {
                if (value == null) {
                    final Group g = groups.get(group);
                    if (g != null) {
                        g.removeOffset(topic, partition);
                    }
                } else {
                    groups.computeIfAbsent(group, id -> new Group(id, now)).putOffset(topic, partition, value);
                }
            }

            @Override
            public void group(String group, GroupRecords.StoredGroup value) {
                if (value == null) {
                    final Group g = groups.get(group);
                    if (g != null) {
                        // The classic side is gone; offsets tombstoned earlier are gone too, but a group
                        // converted to a consumer group keeps the offsets it had.
                        restore(g, new GroupRecords.StoredGroup(null, 0, null, null, now, List.of()));
                        forgetIfUnused(g);
                    }
                } else {
                    restore(groups.computeIfAbsent(group, id -> new Group(id, now)), value);
                }
            }

            @Override
            public void consumerGroup(String group, GroupRecords.StoredConsumerGroup value) {
                if (value == null) {
                    final Group g = groups.get(group);
                    if (g != null) {
                        g.consumer = null;
                        forgetIfUnused(g);
                    }
                } else {
                    groups.computeIfAbsent(group, id -> new Group(id, now)).consumer =
                            ConsumerGroup.restore(group, value);
                }
            }
        });
        for (Group g : groups.values()) {
            if (g.consumer != null) {
                consumerGroups.restored(g.consumer);
            }
            if (g.is(GroupState.STABLE)) {
                for (GroupMember m : g.members.values()) {
                    m.heartbeatDeadlineMs = now + m.sessionTimeoutMs;
                }
                rebalancer.scheduleCheck(g, now + minSession(g));
            }
        }
        LOG.info("Loaded {} group(s) from {} record(s) of {} in {} ms", groups.size(), records, GroupLog.PARTITION,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** Replay: drops a group left with neither a classic nor a consumer side nor offsets. */
    private void forgetIfUnused(Group g) {
        if (g.consumer == null && !g.hasMembers() && g.protocolType == null && !g.hasOffsets()) {
            groups.remove(g.groupId);
        }
    }

    private static int minSession(Group g) {
        int min = Integer.MAX_VALUE;
        for (GroupMember m : g.members.values()) {
            min = Math.min(min, m.sessionTimeoutMs);
        }
        return min;
    }

    private static void restore(Group g, GroupRecords.StoredGroup stored) {
        g.members.clear();
        g.staticMembers.clear();
        g.protocolType = stored.protocolType();
        g.generation = stored.generation();
        g.protocolName = stored.protocolName();
        g.leaderId = null;
        for (GroupRecords.StoredMember sm : stored.members()) {
            final GroupMember m = new GroupMember(sm.memberId(), sm.instanceId(), sm.clientId(), sm.clientHost(),
                    sm.rebalanceTimeoutMs(), sm.sessionTimeoutMs(),
                    List.of(new GroupMember.Protocol(stored.protocolName(), sm.subscription())));
            m.assignment = sm.assignment();
            g.add(m);
        }
        if (stored.leader() != null && g.member(stored.leader()) != null) {
            g.leaderId = stored.leader();
        }
        final boolean stable = g.hasMembers() && g.protocolName != null;
        if (!stable) {
            g.members.clear();
            g.staticMembers.clear();
            g.leaderId = null;
        }
        g.transition(stable ? GroupState.STABLE : GroupState.EMPTY, stored.stateTimestamp());
    }

    private void scheduleExpiry() {
        scheduler.schedule(() -> {
            try {
                offsets.expire();
            } finally {
                if (!closed) {
                    scheduleExpiry();
                }
            }
        }, config.retentionCheckIntervalMs());
    }

    /** Runs {@code work} on the coordinator thread; the future completes with what it answers. */
    private <T> CompletableFuture<T> submit(Consumer<Consumer<T>> work) {
        final CompletableFuture<T> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new IllegalStateException("group coordinator is closed"));
            return future;
        }
        scheduler.execute(() -> {
            try {
                work.accept(future::complete);
            } catch (RuntimeException e) {
                LOG.error("Group coordinator request failed", e);
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    /** JoinGroup; completes when the join phase ends (or at once for an error or a known member). */
    public CompletableFuture<JoinGroupResponseData> joinGroup(JoinGroupRequestData request, short version,
                                                              String clientId, String clientHost) {
        return submit(respond -> {
            final Group g = groups.get(request.groupId());
            if (g != null && g.consumer != null) {
                if (g.consumer.hasMembers()) {
                    // Kafka 4 would take a "consumer" protocol member into the consumer group (KIP-848
                    // migration); Skiff keeps the two kinds apart and answers as for an unsupported protocol.
                    respond.accept(GroupResponses.joinError(request.memberId() == null ? "" : request.memberId(),
                            Errors.INCONSISTENT_GROUP_PROTOCOL, version));
                    return;
                }
                g.consumer = null;
                // Else the consumer group's record would bring it back after a restart.
                log.append(List.of(new GroupLog.Entry(GroupRecords.consumerGroupKey(g.groupId), null)),
                        scheduler.nowMs());
                LOG.info("Converted the empty consumer group {} to a classic group", g.groupId);
            }
            rebalancer.join(request, version, clientId, clientHost, respond);
        });
    }

    /**
     * ConsumerGroupHeartbeat (KIP-848): join, heartbeat or leave. A member waiting for partitions whose owner was
     * already told to revoke them is answered once the owner acknowledges (at most about a second later), so it
     * gets them now rather than a heartbeat interval later; every other heartbeat is answered at once.
     */
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(
            ConsumerGroupHeartbeatRequestData request, short version, String clientId, String clientHost) {
        return submit(respond -> consumerGroups.heartbeat(request, version, clientId, clientHost, respond));
    }

    /** ConsumerGroupDescribe: one described group per id, in order. */
    public CompletableFuture<List<ConsumerGroupDescribeResponseData.DescribedGroup>> consumerGroupDescribe(
            List<String> groupIds, boolean includeOperations) {
        return submit(respond -> {
            final List<ConsumerGroupDescribeResponseData.DescribedGroup> described = new ArrayList<>();
            for (String id : groupIds) {
                described.add(consumerDescriber.describe(id, groups.get(id), includeOperations));
            }
            respond.accept(described);
        });
    }

    /** Whether ConsumerGroupHeartbeat is served (group.coordinator.rebalance.protocols lists "consumer"). */
    public boolean consumerProtocolEnabled() {
        return consumerGroups.config().enabled();
    }

    /** OffsetFetch v9+ for a member: the group-level error, and the offsets when there is none. */
    public record FetchedOffsets(Errors error, Map<String, Map<Integer, CommittedOffset>> offsets) {
    }

    /**
     * {@link #fetchOffsets(String, Map)} for OffsetFetch v9+, which names the member asking: a member of a
     * consumer group must be known (UNKNOWN_MEMBER_ID) and at its current epoch (STALE_MEMBER_EPOCH). Fetches
     * without a member id and with a negative epoch (admin tools) are always served.
     */
    public CompletableFuture<FetchedOffsets> fetchOffsets(String groupId, String memberId, int memberEpoch,
                                                          Map<String, List<Integer>> requested) {
        return submit(respond -> {
            final Group group = groups.get(groupId);
            if (group != null && group.consumer != null) {
                final Errors error = group.consumer.validateOffsetFetch(memberId, memberEpoch);
                if (error != Errors.NONE) {
                    respond.accept(new FetchedOffsets(error, Map.of()));
                    return;
                }
            }
            respond.accept(new FetchedOffsets(Errors.NONE, readOffsets(group, requested)));
        });
    }

    /** SyncGroup; a follower's completes when the leader's assignment arrives. */
    public CompletableFuture<SyncGroupResponseData> syncGroup(SyncGroupRequestData request, short version) {
        return submit(respond -> rebalancer.sync(request, version, respond));
    }

    /** Heartbeat: the error to answer with. */
    public CompletableFuture<Errors> heartbeat(HeartbeatRequestData request, short version) {
        return submit(respond -> respond.accept(rebalancer.heartbeat(request, version)));
    }

    /** LeaveGroup, batched (v3+) or single. */
    public CompletableFuture<LeaveGroupResponseData> leaveGroup(LeaveGroupRequestData request, short version) {
        return submit(respond -> respond.accept(rebalancer.leave(request, version)));
    }

    /** OffsetCommit; completes once the offsets are fsync'd. */
    public CompletableFuture<OffsetCommitResponseData> commitOffsets(OffsetCommitRequestData request, short version) {
        return submit(respond -> offsets.commit(request, version, respond));
    }

    /**
     * The committed offsets of {@code groupId}: of the requested partitions ({@code requested} maps topic to
     * partitions), or all of them when {@code requested} is null. Partitions without an offset are absent.
     */
    public CompletableFuture<Map<String, Map<Integer, CommittedOffset>>> fetchOffsets(
            String groupId, Map<String, List<Integer>> requested) {
        return submit(respond -> respond.accept(readOffsets(groups.get(groupId), requested)));
    }

    private static Map<String, Map<Integer, CommittedOffset>> readOffsets(Group group,
                                                                          Map<String, List<Integer>> requested) {
        final Map<String, Map<Integer, CommittedOffset>> result = new HashMap<>();
        if (group != null && !group.is(GroupState.DEAD)) {
            if (requested == null) {
                group.offsets.forEach((topic, byPartition) -> result.put(topic, new HashMap<>(byPartition)));
            } else {
                requested.forEach((topic, partitions) -> {
                    for (int p : partitions) {
                        final CommittedOffset o = group.offset(topic, p);
                        if (o != null) {
                            result.computeIfAbsent(topic, t -> new HashMap<>()).put(p, o);
                        }
                    }
                });
            }
        }
        return result;
    }

    /** ListGroups with the v4+ state filter and the v5+ type filter ("classic" or "consumer"). */
    public CompletableFuture<ListGroupsResponseData> listGroups(ListGroupsRequestData request, short version) {
        return submit(respond -> {
            final ListGroupsResponseData response = new ListGroupsResponseData().setErrorCode(Errors.NONE.code());
            final List<String> states = version >= 4 ? request.statesFilter() : List.of();
            final List<String> types = version >= 5 ? request.typesFilter() : List.of();
            for (Group g : groups.values()) {
                final boolean consumer = g.consumer != null;
                final String type = consumer ? "consumer" : "classic";
                final String state = consumer ? g.consumer.state().kafkaName : g.state.kafkaName();
                if (g.is(GroupState.DEAD)
                        || (!types.isEmpty() && types.stream().noneMatch(type::equalsIgnoreCase))
                        || (!states.isEmpty() && states.stream().noneMatch(state::equalsIgnoreCase))) {
                    continue;
                }
                final ListGroupsResponseData.ListedGroup listed = new ListGroupsResponseData.ListedGroup()
                        .setGroupId(g.groupId)
                        .setProtocolType(consumer ? "consumer" : g.protocolType == null ? "" : g.protocolType);
                if (version >= 4) {
                    listed.setGroupState(state);
                }
                if (version >= 5) {
                    listed.setGroupType(type);
                }
                response.groups().add(listed);
            }
            respond.accept(response);
        });
    }

    /**
     * DescribeGroups. Members' metadata and assignment are shown only for a Stable group, as Kafka does;
     * an unknown group is "Dead", with GROUP_ID_NOT_FOUND from v6.
     */
    public CompletableFuture<DescribeGroupsResponseData> describeGroups(List<String> groupIds, short version,
                                                                         boolean includeOperations) {
        return submit(respond -> {
            final DescribeGroupsResponseData response = new DescribeGroupsResponseData();
            for (String id : groupIds) {
                final Group g = groups.get(id);
                final DescribeGroupsResponseData.DescribedGroup d = new DescribeGroupsResponseData.DescribedGroup()
                        .setGroupId(id)
                        .setErrorCode(Errors.NONE.code())
                        .setProtocolType("")
                        .setProtocolData("")
                        .setAuthorizedOperations(includeOperations && version >= 3 ? GROUP_OPERATIONS
                                : OPERATIONS_OMITTED);
                if (g == null || g.is(GroupState.DEAD) || g.consumer != null) {
                    // A consumer group is not described here (Kafka: "not a classic group", Dead before v6).
                    d.setGroupState(GroupState.DEAD.kafkaName());
                    if (version >= 6) {
                        d.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage("Group " + id
                                + (g != null && g.consumer != null ? " is not a classic group." : " not found."));
                    }
                    response.groups().add(d);
                    continue;
                }
                final boolean stable = g.is(GroupState.STABLE);
                d.setGroupState(g.state.kafkaName())
                        .setProtocolType(g.protocolType == null ? "" : g.protocolType)
                        .setProtocolData(stable && g.protocolName != null ? g.protocolName : "");
                for (GroupMember m : g.members.values()) {
                    final byte[] metadata = stable ? m.metadata(g.protocolName) : null;
                    d.members().add(new DescribeGroupsResponseData.DescribedGroupMember()
                            .setMemberId(m.memberId)
                            .setGroupInstanceId(version >= 4 ? m.instanceId : null)
                            .setClientId(m.clientId == null ? "" : m.clientId)
                            .setClientHost(m.clientHost == null ? "" : m.clientHost)
                            .setMemberMetadata(metadata == null ? new byte[0] : metadata)
                            .setMemberAssignment(stable ? m.assignment : new byte[0]));
                }
                response.groups().add(d);
            }
            respond.accept(response);
        });
    }

    /**
     * Called after a topic is deleted: drops every group's committed offsets of it.
     *
     * @return completes with the number of offsets removed once that is durable
     */
    public CompletableFuture<Integer> topicDeleted(String topic) {
        return this.<CompletableFuture<Integer>>submit(respond -> respond.accept(offsets.deleteTopic(topic)))
                .thenCompose(done -> done);
    }

    /** DeleteGroups: only groups without members; their offsets go too. Completes once that is durable. */
    public CompletableFuture<DeleteGroupsResponseData> deleteGroups(List<String> groupIds) {
        return submit(respond -> {
            final long now = scheduler.nowMs();
            final DeleteGroupsResponseData response = new DeleteGroupsResponseData();
            final List<GroupLog.Entry> entries = new ArrayList<>();
            final List<DeleteGroupsResponseData.DeletableGroupResult> deleted = new ArrayList<>();
            for (String id : groupIds) {
                final Group g = groups.get(id);
                final Errors error;
                if (g == null || g.is(GroupState.DEAD)) {
                    error = Errors.GROUP_ID_NOT_FOUND;
                } else if (g.hasMembers() || g.hasConsumerMembers()) {
                    error = Errors.NON_EMPTY_GROUP;
                } else {
                    error = Errors.NONE;
                    g.offsets.forEach((topic, byPartition) -> byPartition.keySet().forEach(p ->
                            entries.add(new GroupLog.Entry(GroupRecords.offsetKey(id, topic, p), null))));
                    entries.add(new GroupLog.Entry(GroupRecords.groupKey(id), null));
                    if (g.consumer != null) {
                        entries.add(new GroupLog.Entry(GroupRecords.consumerGroupKey(id), null));
                    }
                    rebalancer.failPending(g, Errors.COORDINATOR_NOT_AVAILABLE);
                    g.transition(GroupState.DEAD, now);
                    groups.remove(id);
                    LOG.info("Deleted group {}", id);
                }
                final DeleteGroupsResponseData.DeletableGroupResult result =
                        new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(id).setErrorCode(error.code());
                if (error == Errors.NONE) {
                    deleted.add(result);
                }
                response.results().add(result);
            }
            log.append(entries, now).whenComplete((ok, failure) -> {
                if (failure != null) {
                    deleted.forEach(r -> r.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
                }
                respond.accept(response);
            });
        });
    }

    /** OffsetDelete: refuses topics a live consumer group subscribes to. */
    public CompletableFuture<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData request) {
        return submit(respond -> offsets.delete(request, respond));
    }

    /** Runs offset expiry now (tests; the timer runs it every offsets.retention.check.interval.ms). */
    public CompletableFuture<Integer> expireOffsets() {
        return submit(respond -> respond.accept(offsets.expire()));
    }

    /** The state of {@code groupId}, or null when there is no such group (tests and tools). */
    public CompletableFuture<GroupState> groupState(String groupId) {
        return submit(respond -> {
            final Group g = groups.get(groupId);
            respond.accept(g == null ? null : g.state);
        });
    }

    /** Stops the coordinator thread; requests still parked are dropped with their connections. */
    @Override
    public void close() {
        closed = true;
        scheduler.close();
    }
}

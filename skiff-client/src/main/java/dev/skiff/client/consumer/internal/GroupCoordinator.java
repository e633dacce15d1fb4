package dev.skiff.client.consumer.internal;

import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.ConsumerConfig;
import dev.skiff.client.consumer.ConsumerException;
import dev.skiff.client.internal.ClientRequestException;
import dev.skiff.client.internal.Node;
import dev.skiff.client.internal.SyncClient;
import dev.skiff.client.internal.TopicInfo;
import dev.skiff.protocol.ApiMessage;
import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.FindCoordinatorRequestData;
import dev.skiff.protocol.message.FindCoordinatorResponseData;
import dev.skiff.protocol.message.JoinGroupRequestData;
import dev.skiff.protocol.message.JoinGroupResponseData;
import dev.skiff.protocol.message.LeaveGroupRequestData;
import dev.skiff.protocol.message.OffsetCommitRequestData;
import dev.skiff.protocol.message.OffsetCommitResponseData;
import dev.skiff.protocol.message.OffsetFetchRequestData;
import dev.skiff.protocol.message.OffsetFetchResponseData;
import dev.skiff.protocol.message.SyncGroupRequestData;
import dev.skiff.protocol.message.SyncGroupResponseData;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's side of the classic group protocol, driven by the polling thread: finds the coordinator,
 * joins (retrying with the member id the coordinator hands out, KIP-394), computes the assignment when
 * this member leads, syncs, fetches and commits offsets, and leaves.
 *
 * <p>Design note: it owns a {@link SyncClient} of its own rather than sharing the fetcher's, because a
 * JoinGroup may wait for the whole rebalance timeout and its request timeout is raised to match. The
 * {@link Heartbeater} runs on another thread with yet another connection; the two share only the
 * current {@link Generation} (an atomic reference), the coordinator node and the rejoin flag.
 */
public final class GroupCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);
    /** Extra time a JoinGroup request gets beyond the rebalance timeout, as kafka-clients allows. */
    private static final int JOIN_GRACE_MS = 5000;

    /** A joined generation of the group, as this member knows it; immutable. */
    public record Generation(int id, String memberId, String protocol) {
        /** No generation: not joined, or kicked out with the member id kept for a rejoin. */
        static Generation none(String memberId) {
            return new Generation(-1, memberId, null);
        }

        public boolean joined() {
            return id >= 0;
        }
    }

    private final ConsumerConfig config;
    private final SyncClient client;
    private final String groupId;
    private final String instanceId;
    private final AtomicReference<Generation> generation = new AtomicReference<>(Generation.none(""));
    private volatile Node coordinator;
    private volatile boolean rejoinNeeded = true;

    public GroupCoordinator(ConsumerConfig config) {
        this.config = config;
        this.groupId = config.groupId();
        this.instanceId = config.groupInstanceId().isEmpty() ? null : config.groupInstanceId();
        final int timeout = Math.max(config.requestTimeoutMs(), config.maxPollIntervalMs() + JOIN_GRACE_MS);
        this.client = new SyncClient(config.bootstrapServers(), config.clientId() + "-coordinator", timeout,
                config.reconnectBackoffMs(), config.reconnectBackoffMaxMs(), config.metadataMaxAgeMs());
    }

    public String groupId() {
        return groupId;
    }

    /** The static member id, or null for a dynamic member. */
    public String instanceId() {
        return instanceId;
    }

    public Generation generation() {
        return generation.get();
    }

    /** The coordinator last found, or null when it must be looked up. */
    public Node coordinator() {
        return coordinator;
    }

    public boolean rejoinNeeded() {
        return rejoinNeeded;
    }

    /** Asks for a rejoin at the next poll (a rebalance began, or the generation is stale). */
    public void requestRejoin(String why) {
        if (!rejoinNeeded) {
            LOG.info("Group {}: rejoining ({})", groupId, why);
        }
        rejoinNeeded = true;
    }

    /**
     * Drops the generation if it is still {@code seen}: the coordinator no longer knows it. With
     * {@code forgetMember} the member id is dropped too (UNKNOWN_MEMBER_ID), so the next join starts fresh.
     */
    public synchronized void resetGeneration(Generation seen, boolean forgetMember, String why) {
        if (generation.compareAndSet(seen, Generation.none(forgetMember ? "" : seen.memberId()))) {
            requestRejoin(why);
        }
    }

    /**
     * Requests a rejoin if {@code seen} is still the current generation: a heartbeat answered after this
     * member began rejoining must not start yet another rebalance.
     */
    public synchronized void rejoinIfCurrent(Generation seen, String why) {
        if (generation.get() == seen) {
            requestRejoin(why);
        }
    }

    /** Starts a join: no generation (so heartbeats pause) and no rejoin pending. */
    private synchronized void beginJoin() {
        rejoinNeeded = false;
        generation.set(Generation.none(generation.get().memberId()));
    }

    /** Forgets the coordinator, so the next request looks it up again. */
    public void coordinatorUnknown(Node seen) {
        if (seen != null && seen.equals(coordinator)) {
            coordinator = null;
        }
    }

    /**
     * A ready connection to the group's coordinator, looking it up (FindCoordinator) when unknown.
     *
     * @throws ClientRequestException when no broker answers in time
     * @throws ConsumerException when the group may not be used (e.g. not authorized)
     */
    public Node ensureCoordinator(long deadline) {
        while (true) {
            Node node = coordinator;
            if (node == null) {
                node = findCoordinator(deadline);
                if (node == null) {
                    backoff(deadline);
                    continue;
                }
                coordinator = node;
            }
            try {
                return client.readyNode(node, deadline);
            } catch (ClientRequestException e) {
                coordinatorUnknown(node);
                throw e;
            }
        }
    }

    private Node findCoordinator(long deadline) {
        final Node any = client.anyReadyNode(deadline);
        final short version = client.version(any, ApiKeys.FIND_COORDINATOR, (short) 0, (short) 3);
        final FindCoordinatorRequestData request = new FindCoordinatorRequestData().setKey(groupId);
        final FindCoordinatorResponseData response = (FindCoordinatorResponseData) client.send(any, request, version,
                deadline);
        final Errors error = Errors.forCode(response.errorCode());
        switch (error) {
            case NONE:
                return new Node(response.nodeId(), response.host(), response.port());
            case COORDINATOR_NOT_AVAILABLE:
            case COORDINATOR_LOAD_IN_PROGRESS:
            case NOT_COORDINATOR:
                return null;
            default:
                throw groupError("FindCoordinator", error);
        }
    }

    /**
     * Joins the group subscribed to {@code topics} and syncs, leading the assignment when chosen;
     * returns this member's partitions. Retries coordinator moves, rebalances and member id changes
     * until the deadline.
     */
    public List<TopicPartition> joinAndSync(List<String> topics, long deadline) {
        while (true) {
            // Cleared before the join, so a rebalance noticed while joining triggers another one.
            beginJoin();
            final Node node = ensureCoordinator(deadline);
            final JoinGroupResponseData joined = join(node, topics, deadline);
            if (joined == null) {
                continue;
            }
            final Generation gen = new Generation(joined.generationId(), joined.memberId(), joined.protocolName());
            generation.set(gen);
            final byte[] mine = sync(node, gen, joined, deadline);
            if (mine == null) {
                continue;
            }
            try {
                return ConsumerProtocol.assignedPartitions(mine);
            } catch (DecodeException e) {
                throw new ConsumerException("Group " + groupId + ": the leader's assignment is malformed ("
                        + e.getMessage() + ")", Errors.INCONSISTENT_GROUP_PROTOCOL, e);
            }
        }
    }

    /** One JoinGroup; null when it must be retried. */
    private JoinGroupResponseData join(Node node, List<String> topics, long deadline) {
        final short version = client.version(node, ApiKeys.JOIN_GROUP, (short) 1);
        final String strategy = config.partitionAssignmentStrategy();
        final JoinGroupRequestData request = new JoinGroupRequestData()
                .setGroupId(groupId)
                .setSessionTimeoutMs(config.sessionTimeoutMs())
                .setRebalanceTimeoutMs(config.maxPollIntervalMs())
                .setMemberId(generation.get().memberId())
                .setProtocolType(ConsumerProtocol.PROTOCOL_TYPE)
                .setProtocols(new ArrayList<>(List.of(new JoinGroupRequestData.JoinGroupRequestProtocol()
                        .setName(strategy).setMetadata(ConsumerProtocol.subscription(topics)))));
        if (instanceId != null) {
            if (version < 5) {
                throw new ConsumerException("Broker " + node + " is too old for group.instance.id (static "
                        + "membership needs JoinGroup v5)", Errors.UNSUPPORTED_VERSION);
            }
            request.setGroupInstanceId(instanceId);
        }
        final JoinGroupResponseData response = (JoinGroupResponseData) send(node, request, version, deadline);
        final Errors error = Errors.forCode(response.errorCode());
        switch (error) {
            case NONE:
                LOG.info("Group {}: joined generation {} as {}{} with protocol {}", groupId,
                        response.generationId(), response.memberId(),
                        response.leader().equals(response.memberId()) ? " (leader)" : "", response.protocolName());
                return response;
            case MEMBER_ID_REQUIRED:
                generation.set(Generation.none(response.memberId()));
                return null;
            case UNKNOWN_MEMBER_ID:
                generation.set(Generation.none(""));
                return null;
            case NOT_COORDINATOR:
            case COORDINATOR_NOT_AVAILABLE:
                coordinatorUnknown(node);
                return null;
            case COORDINATOR_LOAD_IN_PROGRESS:
            case REBALANCE_IN_PROGRESS:
                backoff(deadline);
                return null;
            default:
                throw groupError("JoinGroup", error);
        }
    }

    /** One SyncGroup (computing the assignment when leading); this member's assignment, or null to rejoin. */
    private byte[] sync(Node node, Generation gen, JoinGroupResponseData joined, long deadline) {
        final short version = client.version(node, ApiKeys.SYNC_GROUP, (short) 0);
        final SyncGroupRequestData request = new SyncGroupRequestData()
                .setGroupId(groupId)
                .setGenerationId(gen.id())
                .setMemberId(gen.memberId())
                .setAssignments(new ArrayList<>());
        if (version >= 3) {
            request.setGroupInstanceId(instanceId);
        }
        if (version >= 5) {
            request.setProtocolType(ConsumerProtocol.PROTOCOL_TYPE).setProtocolName(gen.protocol());
        }
        if (joined.leader().equals(joined.memberId()) && !joined.skipAssignment()) {
            leaderAssignment(joined, deadline).forEach((member, bytes) -> request.assignments()
                    .add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(member)
                            .setAssignment(bytes)));
        }
        final SyncGroupResponseData response = (SyncGroupResponseData) send(node, request, version, deadline);
        final Errors error = Errors.forCode(response.errorCode());
        switch (error) {
            case NONE:
                return response.assignment();
            case REBALANCE_IN_PROGRESS:
                return null;
            case UNKNOWN_MEMBER_ID:
                generation.set(Generation.none(""));
                return null;
            case ILLEGAL_GENERATION:
                generation.set(Generation.none(gen.memberId()));
                return null;
            case NOT_COORDINATOR:
            case COORDINATOR_NOT_AVAILABLE:
                coordinatorUnknown(node);
                return null;
            default:
                throw groupError("SyncGroup", error);
        }
    }

    private Map<String, byte[]> leaderAssignment(JoinGroupResponseData joined, long deadline) {
        final Map<String, List<String>> subscriptions = new TreeMap<>();
        final Set<String> topics = new LinkedHashSet<>();
        for (JoinGroupResponseData.JoinGroupResponseMember m : joined.members()) {
            List<String> subscribed;
            try {
                subscribed = ConsumerProtocol.subscriptionTopics(m.metadata());
            } catch (DecodeException e) {
                // One member's garbage must not stop the group: it simply gets nothing.
                LOG.warn("Group {}: member {} sent a malformed subscription ({}); assigning it nothing", groupId,
                        m.memberId(), e.getMessage());
                subscribed = List.of();
            }
            subscriptions.put(m.memberId(), subscribed);
            topics.addAll(subscribed);
        }
        final Map<String, Integer> counts = new TreeMap<>();
        if (!topics.isEmpty()) {
            client.fetchMetadata(new ArrayList<>(topics), deadline);
            for (String t : topics) {
                final TopicInfo info = client.metadata().topic(t);
                if (info != null && info.error() == Errors.NONE) {
                    counts.put(t, info.partitionCount());
                } else {
                    LOG.warn("Group {}: subscribed topic {} is unknown ({}); not assigned", groupId, t,
                            info == null ? "no metadata" : info.error());
                }
            }
        }
        final Map<String, byte[]> out = new LinkedHashMap<>();
        PartitionAssignor.assign(joined.protocolName(), subscriptions, counts)
                .forEach((member, parts) -> out.put(member, ConsumerProtocol.assignment(parts)));
        return out;
    }

    /**
     * The committed offsets of {@code partitions}; -1 where the group has none.
     *
     * @throws ConsumerException when the coordinator refuses
     */
    public Map<TopicPartition, Long> fetchCommitted(Collection<TopicPartition> partitions, long deadline) {
        final Map<TopicPartition, Long> out = new LinkedHashMap<>();
        if (partitions.isEmpty()) {
            return out;
        }
        while (true) {
            final Node node = ensureCoordinator(deadline);
            final short version = client.version(node, ApiKeys.OFFSET_FETCH, (short) 1, (short) 7);
            final Map<String, List<Integer>> byTopic = byTopic(partitions);
            final List<OffsetFetchRequestData.OffsetFetchRequestTopic> topics = new ArrayList<>();
            byTopic.forEach((t, ps) -> topics.add(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(t)
                    .setPartitionIndexes(ps)));
            final OffsetFetchRequestData request = new OffsetFetchRequestData().setGroupId(groupId)
                    .setTopics(topics);
            final OffsetFetchResponseData response = (OffsetFetchResponseData) send(node, request, version,
                    deadline);
            final Errors error = Errors.forCode(response.errorCode());
            if (error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_NOT_AVAILABLE) {
                coordinatorUnknown(node);
                continue;
            }
            if (error == Errors.COORDINATOR_LOAD_IN_PROGRESS) {
                backoff(deadline);
                continue;
            }
            if (error != Errors.NONE) {
                throw groupError("OffsetFetch", error);
            }
            for (OffsetFetchResponseData.OffsetFetchResponseTopic t : response.topics()) {
                for (OffsetFetchResponseData.OffsetFetchResponsePartition p : t.partitions()) {
                    final Errors pe = Errors.forCode(p.errorCode());
                    if (pe != Errors.NONE && pe != Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                        throw new ConsumerException("Group " + groupId + ": fetching the committed offset of "
                                + t.name() + "-" + p.partitionIndex() + " failed with " + pe + ": "
                                + pe.message(), pe);
                    }
                    out.put(new TopicPartition(t.name(), p.partitionIndex()),
                            pe == Errors.NONE ? p.committedOffset() : -1L);
                }
            }
            return out;
        }
    }

    /** Sends an OffsetCommit for {@code offsets} without waiting; the answer is read by {@link #commitResult}. */
    public SyncClient.Pending commitAsync(Node node, Map<TopicPartition, Long> offsets) {
        final short version = client.version(node, ApiKeys.OFFSET_COMMIT, (short) 2, (short) 8);
        final Generation gen = generation.get();
        final Map<String, List<Integer>> byTopic = byTopic(offsets.keySet());
        final List<OffsetCommitRequestData.OffsetCommitRequestTopic> topics = new ArrayList<>();
        byTopic.forEach((t, ps) -> {
            final List<OffsetCommitRequestData.OffsetCommitRequestPartition> parts = new ArrayList<>();
            for (int p : ps) {
                parts.add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(p)
                        .setCommittedOffset(offsets.get(new TopicPartition(t, p))).setCommittedMetadata(""));
            }
            topics.add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(t).setPartitions(parts));
        });
        final OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(groupId)
                .setGenerationIdOrMemberEpoch(gen.id()).setMemberId(gen.memberId()).setTopics(topics);
        if (version >= 7) {
            request.setGroupInstanceId(instanceId);
        }
        if (version <= 4) {
            request.setRetentionTimeMs(-1);
        }
        return client.sendAsync(node, request, version);
    }

    /**
     * Waits for a commit's answer and checks it.
     *
     * @return false when it should be retried (the coordinator moved)
     * @throws ConsumerException when the commit failed for good; a stale generation also requests a rejoin
     */
    public boolean commitResult(Node node, SyncClient.Pending pending, long deadline) {
        if (!client.pollUntil(pending::isDone, deadline)) {
            throw new ClientRequestException(ClientRequestException.Reason.TIMEOUT, Errors.REQUEST_TIMED_OUT,
                    "OffsetCommit to " + node + " got no answer in time", null);
        }
        final OffsetCommitResponseData response = (OffsetCommitResponseData) SyncClient.result(pending,
                "OffsetCommit");
        final Generation gen = generation.get();
        for (OffsetCommitResponseData.OffsetCommitResponseTopic t : response.topics()) {
            for (OffsetCommitResponseData.OffsetCommitResponsePartition p : t.partitions()) {
                final Errors error = Errors.forCode(p.errorCode());
                switch (error) {
                    case NONE:
                        break;
                    case NOT_COORDINATOR:
                    case COORDINATOR_NOT_AVAILABLE:
                        coordinatorUnknown(node);
                        return false;
                    case COORDINATOR_LOAD_IN_PROGRESS:
                        return false;
                    case UNKNOWN_MEMBER_ID:
                    case ILLEGAL_GENERATION:
                    case FENCED_INSTANCE_ID:
                        resetGeneration(gen, error == Errors.UNKNOWN_MEMBER_ID, "commit refused with " + error);
                        throw commitFailed(error);
                    case REBALANCE_IN_PROGRESS:
                        requestRejoin("commit refused with " + error);
                        throw commitFailed(error);
                    default:
                        throw new ConsumerException("Group " + groupId + ": committing the offset of " + t.name()
                                + "-" + p.partitionIndex() + " failed with " + error + ": " + error.message(), error);
                }
            }
        }
        return true;
    }

    /** Commits {@code offsets} and waits, retrying coordinator moves until the deadline. */
    public void commitSync(Map<TopicPartition, Long> offsets, long deadline) {
        if (offsets.isEmpty()) {
            return;
        }
        while (true) {
            final Node node = ensureCoordinator(deadline);
            if (commitResult(node, commitAsync(node, offsets), deadline)) {
                return;
            }
            backoff(deadline);
        }
    }

    private ConsumerException commitFailed(Errors error) {
        return new ConsumerException("Group " + groupId + ": the commit failed with " + error + " because the group "
                + "rebalanced and these partitions may now belong to another member; the next poll rejoins. Commit "
                + "more often or raise max.poll.interval.ms if processing takes long", error);
    }

    /** Runs pending asynchronous requests for up to {@code ms} (0: just a quick look). */
    public void pollNetwork(long ms) {
        client.pollUntil(() -> false, SyncClient.deadline(Math.max(1, ms)));
    }

    /**
     * Leaves the group (LeaveGroup) unless this is a static member, whose membership outlives restarts.
     * Failures are logged: the session timeout removes the member anyway.
     */
    public void leave(String reason, long deadline) {
        final Generation gen = generation.getAndSet(Generation.none(""));
        final Node node = coordinator;
        if (instanceId != null || gen.memberId().isEmpty() || node == null) {
            return;
        }
        try {
            client.readyNode(node, deadline);
            final short version = client.version(node, ApiKeys.LEAVE_GROUP, (short) 0);
            final LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(groupId);
            if (version >= 3) {
                request.setMembers(new ArrayList<>(List.of(new LeaveGroupRequestData.MemberIdentity()
                        .setMemberId(gen.memberId()).setReason(version >= 5 ? reason : null))));
            } else {
                request.setMemberId(gen.memberId());
            }
            send(node, request, version, deadline);
            LOG.info("Group {}: member {} left ({})", groupId, gen.memberId(), reason);
        } catch (RuntimeException e) {
            LOG.warn("Group {}: LeaveGroup for {} failed ({}); the session timeout will remove it", groupId,
                    gen.memberId(), e.getMessage());
        }
    }

    private ApiMessage send(Node node, ApiMessage request, short version, long deadline) {
        try {
            return client.send(node, request, version, deadline);
        } catch (ClientRequestException e) {
            if (e.reason() == ClientRequestException.Reason.DISCONNECTED) {
                coordinatorUnknown(node);
            }
            throw e;
        }
    }

    private void backoff(long deadline) {
        final long until = Math.min(deadline, SyncClient.deadline(config.retryBackoffMs()));
        client.pollUntil(() -> false, until);
        if (System.nanoTime() - deadline >= 0) {
            throw new ClientRequestException(ClientRequestException.Reason.TIMEOUT, Errors.REQUEST_TIMED_OUT,
                    "Group " + groupId + ": the coordinator did not become available in time", null);
        }
    }

    private ConsumerException groupError(String request, Errors error) {
        switch (error) {
            case GROUP_AUTHORIZATION_FAILED:
                return new ConsumerException("Not authorized to use group '" + groupId + "': grant this principal "
                        + "READ on the group", error);
            case INCONSISTENT_GROUP_PROTOCOL:
                return new ConsumerException("Group '" + groupId + "' has members with another protocol type or no "
                        + "assignor in common with partition.assignment.strategy="
                        + config.partitionAssignmentStrategy(), error);
            case FENCED_INSTANCE_ID:
                return new ConsumerException("Another consumer joined group '" + groupId + "' with group.instance.id="
                        + instanceId + ": give each member its own instance id", error);
            default:
                return new ConsumerException("Group '" + groupId + "': " + request + " failed with " + error + ": "
                        + error.message(), error);
        }
    }

    private static Map<String, List<Integer>> byTopic(Collection<TopicPartition> partitions) {
        final Map<String, List<Integer>> out = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            out.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
    }
}

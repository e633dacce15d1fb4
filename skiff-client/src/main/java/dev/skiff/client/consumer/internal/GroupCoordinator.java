package dev.skiff.client.consumer.internal;

import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.ConsumerConfig;
import dev.skiff.client.consumer.ConsumerException;
import dev.skiff.client.internal.ClientRequestException;
import dev.skiff.client.internal.Node;
import dev.skiff.client.internal.SyncClient;
import dev.skiff.protocol.ApiMessage;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.FindCoordinatorRequestData;
import dev.skiff.protocol.message.FindCoordinatorResponseData;
import dev.skiff.protocol.message.LeaveGroupRequestData;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's side of the classic group protocol, driven by the polling thread: finds the coordinator,
 * joins and syncs ({@link JoinProcess}), fetches and commits offsets ({@link GroupOffsets}), and leaves.
 *
 * <p>Design note: it owns a {@link SyncClient} of its own rather than sharing the fetcher's, because a
 * JoinGroup may wait for the whole rebalance timeout and its request timeout is raised to match. The
 * {@link Heartbeater} runs on another thread with yet another connection; the two share only the
 * current {@link Generation} (an atomic reference), the coordinator node, the rejoin flag and the
 * membership-lost flag.
 */
public final class GroupCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);
    /** Extra time a JoinGroup request gets beyond the rebalance timeout, as kafka-clients allows. */
    private static final int JOIN_GRACE_MS = 5000;
    /** FindCoordinator key type of consumer groups. */
    private static final byte GROUP_KEY_TYPE = 0;

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

    /** What the group needs from the member that owns partitions; called on the polling thread. */
    public interface Member {
        /** The partitions this member owns now, reported to the leader when joining. */
        Collection<TopicPartition> ownedPartitions();

        /** The member lost its membership: drop every partition without committing (another may own it). */
        void partitionsLost();
    }

    private final ConsumerConfig config;
    private final SyncClient client;
    private final String groupId;
    private final String instanceId;
    private final AtomicReference<Generation> generation = new AtomicReference<>(Generation.none(""));
    private final JoinProcess join;
    private final GroupOffsets offsets;
    private volatile Node coordinator;
    private volatile boolean rejoinNeeded = true;
    /** Set when the coordinator dropped this member or its generation: its partitions are no longer its own. */
    private volatile boolean membershipLost;

    public GroupCoordinator(ConsumerConfig config) {
        this.config = config;
        this.groupId = config.groupId();
        this.instanceId = config.groupInstanceId().isEmpty() ? null : config.groupInstanceId();
        final int timeout = Math.max(config.requestTimeoutMs(), config.maxPollIntervalMs() + JOIN_GRACE_MS);
        this.client = new SyncClient(config.bootstrapServers(), config.clientId(), timeout,
                config.reconnectBackoffMs(), config.reconnectBackoffMaxMs(), config.metadataMaxAgeMs());
        this.join = new JoinProcess(this, config, client);
        this.offsets = new GroupOffsets(this, client);
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

    /** Whether a JoinGroup or SyncGroup of this member is on its way (an incremental join in progress). */
    public boolean joinInProgress() {
        return join.inProgress();
    }

    /** Asks for a rejoin at the next poll (a rebalance began, or the generation is stale). */
    public void requestRejoin(String why) {
        if (!rejoinNeeded) {
            LOG.info("Group {}: rejoining ({})", groupId, why);
        }
        rejoinNeeded = true;
    }

    /**
     * Drops the generation if it is still {@code seen}: the coordinator no longer knows it, so the member's
     * partitions are lost. With {@code forgetMember} the member id is dropped too (UNKNOWN_MEMBER_ID), so the
     * next join starts fresh.
     */
    public synchronized void resetGeneration(Generation seen, boolean forgetMember, String why) {
        if (generation.compareAndSet(seen, Generation.none(forgetMember ? "" : seen.memberId()))) {
            membershipLost = true;
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

    /** Whether the membership was lost since the last call (and forgets it). */
    public synchronized boolean takeMembershipLost() {
        final boolean was = membershipLost;
        membershipLost = false;
        return was;
    }

    /** Starts a join: no generation (so heartbeats pause) and no rejoin pending. */
    synchronized void beginJoin() {
        rejoinNeeded = false;
        generation.set(Generation.none(generation.get().memberId()));
    }

    /** Records the generation a JoinGroup answered with. */
    void joined(Generation gen) {
        generation.set(gen);
    }

    /** The coordinator refused this member during a join: a fresh member id next time, partitions lost. */
    synchronized void memberDropped(String memberId) {
        generation.set(Generation.none(memberId));
        membershipLost = true;
    }

    /** A new member id from the coordinator (MEMBER_ID_REQUIRED): not a loss, just the id to join with. */
    void memberIdAssigned(String memberId) {
        generation.set(Generation.none(memberId));
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

    /** FindCoordinator: v4+ asks with a batch of one key (KIP-699), older versions with the single key. */
    private Node findCoordinator(long deadline) {
        final Node any = client.anyReadyNode(deadline);
        final short version = client.version(any, ApiKeys.FIND_COORDINATOR, (short) 0);
        final FindCoordinatorRequestData request = new FindCoordinatorRequestData();
        if (version >= 4) {
            request.setKeyType(GROUP_KEY_TYPE).setCoordinatorKeys(new ArrayList<>(List.of(groupId)));
        } else {
            request.setKey(groupId);
        }
        final FindCoordinatorResponseData response = (FindCoordinatorResponseData) client.send(any, request, version,
                deadline);
        final Errors error;
        final Node found;
        if (version >= 4) {
            final FindCoordinatorResponseData.Coordinator c = response.coordinators().stream()
                    .filter(k -> groupId.equals(k.key())).findFirst().orElse(null);
            if (c == null) {
                throw new ConsumerException("Group '" + groupId + "': the FindCoordinator answer of " + any
                        + " does not name the group", Errors.UNKNOWN_SERVER_ERROR);
            }
            error = Errors.forCode(c.errorCode());
            found = new Node(c.nodeId(), c.host(), c.port());
        } else {
            error = Errors.forCode(response.errorCode());
            found = new Node(response.nodeId(), response.host(), response.port());
        }
        switch (error) {
            case NONE:
                return found;
            case COORDINATOR_NOT_AVAILABLE:
            case COORDINATOR_LOAD_IN_PROGRESS:
            case NOT_COORDINATOR:
                return null;
            default:
                throw groupError("FindCoordinator", error);
        }
    }

    /**
     * Joins the group subscribed to {@code topics} and syncs, leading the assignment when chosen, waiting for
     * the whole rebalance; returns this member's partitions. Retries coordinator moves, rebalances and member
     * id changes until the deadline.
     */
    public List<TopicPartition> joinAndSync(List<String> topics, Member member, long deadline) {
        while (true) {
            final List<TopicPartition> mine = join.poll(topics, member, deadline, deadline);
            if (mine != null) {
                return mine;
            }
        }
    }

    /**
     * One step of an incremental join: starts it, or waits for its next answer until {@code waitUntil}.
     *
     * @return this member's partitions once the join completed, else null (call again)
     */
    public List<TopicPartition> pollJoin(List<String> topics, Member member, long waitUntil, long deadline) {
        return join.poll(topics, member, waitUntil, deadline);
    }

    /**
     * The committed offsets of {@code partitions}; -1 where the group has none.
     *
     * @throws ConsumerException when the coordinator refuses
     */
    public Map<TopicPartition, Long> fetchCommitted(Collection<TopicPartition> partitions, long deadline) {
        return offsets.fetchCommitted(partitions, deadline);
    }

    /** Sends an OffsetCommit for {@code offsets} without waiting; the answer is read by {@link #commitResult}. */
    public SyncClient.Pending commitAsync(Node node, Map<TopicPartition, Long> offsets) {
        return this.offsets.commitAsync(node, offsets);
    }

    /**
     * Waits for a commit's answer and checks it.
     *
     * @return false when it should be retried (the coordinator moved)
     * @throws ConsumerException when the commit failed for good; a stale generation also requests a rejoin
     */
    public boolean commitResult(Node node, SyncClient.Pending pending, long deadline) {
        return offsets.commitResult(node, pending, deadline);
    }

    /** Commits {@code offsets} and waits, retrying coordinator moves until the deadline. */
    public void commitSync(Map<TopicPartition, Long> offsets, long deadline) {
        this.offsets.commitSync(offsets, deadline);
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

    ApiMessage send(Node node, ApiMessage request, short version, long deadline) {
        try {
            return client.send(node, request, version, deadline);
        } catch (ClientRequestException e) {
            if (e.reason() == ClientRequestException.Reason.DISCONNECTED) {
                coordinatorUnknown(node);
            }
            throw e;
        }
    }

    /** Waits retry.backoff.ms (less when the deadline comes first), then fails if the deadline passed. */
    void backoff(long deadline) {
        final long until = Math.min(deadline, SyncClient.deadline(config.retryBackoffMs()));
        client.pollUntil(() -> false, until);
        checkDeadline(deadline);
    }

    void checkDeadline(long deadline) {
        if (System.nanoTime() - deadline >= 0) {
            throw new ClientRequestException(ClientRequestException.Reason.TIMEOUT, Errors.REQUEST_TIMED_OUT,
                    "Group " + groupId + ": the coordinator did not complete the request in time", null);
        }
    }

    ConsumerException groupError(String request, Errors error) {
        switch (error) {
            case GROUP_AUTHORIZATION_FAILED:
                return new ConsumerException("Not authorized to use group '" + groupId + "': grant this principal "
                        + "READ on the group", error);
            case INCONSISTENT_GROUP_PROTOCOL:
                return new ConsumerException("Group '" + groupId + "' has members with another protocol type or no "
                        + "assignor in common with partition.assignment.strategy="
                        + String.join(",", config.partitionAssignmentStrategies()), error);
            case FENCED_INSTANCE_ID:
                return new ConsumerException("Another consumer joined group '" + groupId + "' with group.instance.id="
                        + instanceId + ": give each member its own instance id", error);
            default:
                return new ConsumerException("Group '" + groupId + "': " + request + " failed with " + error + ": "
                        + error.message(), error);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}

package dev.skiff.client.consumer.internal;

import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.ConsumerConfig;
import dev.skiff.client.consumer.ConsumerException;
import dev.skiff.client.internal.ClientRequestException;
import dev.skiff.client.internal.Node;
import dev.skiff.client.internal.SyncClient;
import dev.skiff.client.internal.TopicInfo;
import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.JoinGroupRequestData;
import dev.skiff.protocol.message.JoinGroupResponseData;
import dev.skiff.protocol.message.SyncGroupRequestData;
import dev.skiff.protocol.message.SyncGroupResponseData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member's way through a rebalance: JoinGroup, then SyncGroup (computing the assignment when leading),
 * as a small state machine the polling thread advances step by step.
 *
 * <pre>
 *   IDLE --send JoinGroup--> JOINING --answer--> SYNCING --answer--> IDLE (assignment returned)
 *     ^                         |                   |
 *     +----- retriable error (new member id, coordinator moved, rebalance again) ----+
 * </pre>
 *
 * <p>Design note: an eager member waits the whole way ({@link GroupCoordinator#joinAndSync}); a cooperative
 * one looks in now and then ({@link GroupCoordinator#pollJoin}) and keeps fetching the partitions it retains
 * meanwhile. The JoinGroup answer may take the whole rebalance timeout, so waiting for it must not block.
 * Each JoinGroup advertises every configured strategy with a subscription that reports the partitions the
 * member owns and the generation they come from (the sticky leader needs both).
 */
final class JoinProcess {
    private static final Logger LOG = LoggerFactory.getLogger(JoinProcess.class);

    private enum Phase { IDLE, JOINING, SYNCING }

    private final GroupCoordinator group;
    private final ConsumerConfig config;
    private final SyncClient client;
    private Phase phase = Phase.IDLE;
    private Node node;
    private SyncClient.Pending pending;
    private short pendingVersion;
    private GroupCoordinator.Generation syncing;
    /** Generation of the partitions this member owns: the last one it joined; -1 after losing them. */
    private int ownedGeneration = -1;

    JoinProcess(GroupCoordinator group, ConsumerConfig config, SyncClient client) {
        this.group = group;
        this.config = config;
        this.client = client;
    }

    boolean inProgress() {
        return phase != Phase.IDLE;
    }

    /**
     * Advances the join: starts it when idle, then waits for answers until {@code waitUntil}.
     *
     * @return this member's partitions once synced, else null
     * @throws ClientRequestException when the coordinator cannot be reached in time (the join starts over)
     */
    List<TopicPartition> poll(List<String> topics, GroupCoordinator.Member member, long waitUntil, long deadline) {
        try {
            while (true) {
                switch (phase) {
                    case IDLE:
                        group.checkDeadline(deadline);
                        start(topics, member, deadline);
                        break;
                    case JOINING: {
                        if (!await(waitUntil, deadline)) {
                            return null;
                        }
                        final JoinGroupResponseData joined = (JoinGroupResponseData) answer("JoinGroup");
                        phase = Phase.IDLE;
                        if (joinedOk(joined, deadline)) {
                            startSync(joined, deadline);
                        }
                        break;
                    }
                    case SYNCING: {
                        if (!await(waitUntil, deadline)) {
                            return null;
                        }
                        final SyncGroupResponseData synced = (SyncGroupResponseData) answer("SyncGroup");
                        phase = Phase.IDLE;
                        final byte[] mine = syncedOk(synced);
                        if (mine != null) {
                            return decode(mine);
                        }
                        break;
                    }
                    default:
                        throw new IllegalStateException("unknown phase " + phase);
                }
            }
        } catch (ClientRequestException e) {
            // A wakeup leaves the request in flight: the next call picks its answer up.
            if (e.reason() != ClientRequestException.Reason.WAKEUP) {
                phase = Phase.IDLE;
            }
            throw e;
        } catch (RuntimeException e) {
            phase = Phase.IDLE;
            throw e;
        }
    }

    /** Waits for the pending answer until {@code waitUntil}; false when it has not come yet. */
    private boolean await(long waitUntil, long deadline) {
        final long until = waitUntil - deadline < 0 ? waitUntil : deadline;
        if (client.pollUntil(pending::isDone, until)) {
            return true;
        }
        group.checkDeadline(deadline);
        return false;
    }

    private Object answer(String what) {
        try {
            return SyncClient.result(pending, what);
        } catch (ClientRequestException e) {
            if (e.reason() == ClientRequestException.Reason.DISCONNECTED) {
                group.coordinatorUnknown(node);
            }
            throw e;
        } finally {
            pending = null;
        }
    }

    private void start(List<String> topics, GroupCoordinator.Member member, long deadline) {
        if (group.takeMembershipLost()) {
            ownedGeneration = -1;
            member.partitionsLost();
        }
        group.beginJoin();
        node = group.ensureCoordinator(deadline);
        pendingVersion = client.version(node, ApiKeys.JOIN_GROUP, (short) 1);
        final List<TopicPartition> owned = new ArrayList<>(member.ownedPartitions());
        final List<JoinGroupRequestData.JoinGroupRequestProtocol> protocols = new ArrayList<>();
        for (String strategy : config.partitionAssignmentStrategies()) {
            final boolean sticky = PartitionAssignor.COOPERATIVE_STICKY.equals(strategy);
            protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName(strategy)
                    .setMetadata(ConsumerProtocol.subscription(topics, owned, ownedGeneration, sticky)));
        }
        final JoinGroupRequestData request = new JoinGroupRequestData()
                .setGroupId(group.groupId())
                .setSessionTimeoutMs(config.sessionTimeoutMs())
                .setRebalanceTimeoutMs(config.maxPollIntervalMs())
                .setMemberId(group.generation().memberId())
                .setProtocolType(ConsumerProtocol.PROTOCOL_TYPE)
                .setProtocols(protocols);
        if (group.instanceId() != null) {
            if (pendingVersion < 5) {
                throw new ConsumerException("Broker " + node + " is too old for group.instance.id (static "
                        + "membership needs JoinGroup v5)", Errors.UNSUPPORTED_VERSION);
            }
            request.setGroupInstanceId(group.instanceId());
        }
        pending = client.sendAsync(node, request, pendingVersion);
        phase = Phase.JOINING;
    }

    /** Handles a JoinGroup answer; false when the join must start over. */
    private boolean joinedOk(JoinGroupResponseData response, long deadline) {
        final Errors error = Errors.forCode(response.errorCode());
        switch (error) {
            case NONE:
                LOG.info("Group {}: joined generation {} as {}{} with protocol {}", group.groupId(),
                        response.generationId(), response.memberId(),
                        response.leader().equals(response.memberId()) ? " (leader)" : "", response.protocolName());
                syncing = new GroupCoordinator.Generation(response.generationId(), response.memberId(),
                        response.protocolName());
                group.joined(syncing);
                ownedGeneration = response.generationId();
                return true;
            case MEMBER_ID_REQUIRED:
                group.memberIdAssigned(response.memberId());
                return false;
            case UNKNOWN_MEMBER_ID:
                group.memberDropped("");
                return false;
            case NOT_COORDINATOR:
            case COORDINATOR_NOT_AVAILABLE:
                group.coordinatorUnknown(node);
                return false;
            case COORDINATOR_LOAD_IN_PROGRESS:
            case REBALANCE_IN_PROGRESS:
                group.backoff(deadline);
                return false;
            default:
                throw group.groupError("JoinGroup", error);
        }
    }

    private void startSync(JoinGroupResponseData joined, long deadline) {
        final short version = client.version(node, ApiKeys.SYNC_GROUP, (short) 0);
        final SyncGroupRequestData request = new SyncGroupRequestData()
                .setGroupId(group.groupId())
                .setGenerationId(syncing.id())
                .setMemberId(syncing.memberId())
                .setAssignments(new ArrayList<>());
        if (version >= 3) {
            request.setGroupInstanceId(group.instanceId());
        }
        if (version >= 5) {
            request.setProtocolType(ConsumerProtocol.PROTOCOL_TYPE).setProtocolName(syncing.protocol());
        }
        if (joined.leader().equals(joined.memberId()) && !joined.skipAssignment()) {
            leaderAssignment(joined, deadline).forEach((m, bytes) -> request.assignments()
                    .add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(m).setAssignment(bytes)));
        }
        pending = client.sendAsync(node, request, version);
        phase = Phase.SYNCING;
    }

    /** This member's assignment from a SyncGroup answer, or null to join again. */
    private byte[] syncedOk(SyncGroupResponseData response) {
        final Errors error = Errors.forCode(response.errorCode());
        switch (error) {
            case NONE:
                return response.assignment();
            case REBALANCE_IN_PROGRESS:
                return null;
            case UNKNOWN_MEMBER_ID:
                group.memberDropped("");
                return null;
            case ILLEGAL_GENERATION:
                group.memberDropped(syncing.memberId());
                return null;
            case NOT_COORDINATOR:
            case COORDINATOR_NOT_AVAILABLE:
                group.coordinatorUnknown(node);
                return null;
            default:
                throw group.groupError("SyncGroup", error);
        }
    }

    private List<TopicPartition> decode(byte[] assignment) {
        try {
            return ConsumerProtocol.assignedPartitions(assignment);
        } catch (DecodeException e) {
            throw new ConsumerException("Group " + group.groupId() + ": the leader's assignment is malformed ("
                    + e.getMessage() + ")", Errors.INCONSISTENT_GROUP_PROTOCOL, e);
        }
    }

    private Map<String, byte[]> leaderAssignment(JoinGroupResponseData joined, long deadline) {
        final Map<String, ConsumerProtocol.Subscription> subscriptions = new TreeMap<>();
        final Set<String> topics = new LinkedHashSet<>();
        for (JoinGroupResponseData.JoinGroupResponseMember m : joined.members()) {
            ConsumerProtocol.Subscription subscription;
            try {
                subscription = ConsumerProtocol.readSubscription(m.metadata());
            } catch (DecodeException e) {
                // One member's garbage must not stop the group: it simply gets nothing.
                LOG.warn("Group {}: member {} sent a malformed subscription ({}); assigning it nothing",
                        group.groupId(), m.memberId(), e.getMessage());
                subscription = ConsumerProtocol.Subscription.of(List.of());
            }
            subscriptions.put(m.memberId(), subscription);
            topics.addAll(subscription.topics());
        }
        final Map<String, Integer> counts = new TreeMap<>();
        if (!topics.isEmpty()) {
            client.fetchMetadata(new ArrayList<>(topics), deadline);
            for (String t : topics) {
                final TopicInfo info = client.metadata().topic(t);
                if (info != null && info.error() == Errors.NONE) {
                    counts.put(t, info.partitionCount());
                } else {
                    LOG.warn("Group {}: subscribed topic {} is unknown ({}); not assigned", group.groupId(), t,
                            info == null ? "no metadata" : info.error());
                }
            }
        }
        final Map<String, byte[]> out = new LinkedHashMap<>();
        PartitionAssignor.assignMembers(joined.protocolName(), subscriptions, counts)
                .forEach((m, parts) -> out.put(m, ConsumerProtocol.assignment(parts)));
        return out;
    }
}

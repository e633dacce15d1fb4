package dev.skiff.client.admin;

import dev.skiff.client.TopicPartition;
import dev.skiff.client.admin.internal.AdminErrors;
import dev.skiff.client.admin.internal.AdminSettings;
import dev.skiff.client.consumer.internal.ConsumerProtocol;
import dev.skiff.client.internal.ClientRequestException;
import dev.skiff.client.internal.Node;
import dev.skiff.client.internal.OffsetLookup;
import dev.skiff.client.internal.SyncClient;
import dev.skiff.client.internal.TopicInfo;
import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.DeleteGroupsRequestData;
import dev.skiff.protocol.message.DeleteGroupsResponseData;
import dev.skiff.protocol.message.DescribeGroupsRequestData;
import dev.skiff.protocol.message.DescribeGroupsResponseData;
import dev.skiff.protocol.message.FindCoordinatorRequestData;
import dev.skiff.protocol.message.FindCoordinatorResponseData;
import dev.skiff.protocol.message.ListGroupsRequestData;
import dev.skiff.protocol.message.ListGroupsResponseData;
import dev.skiff.protocol.message.OffsetCommitRequestData;
import dev.skiff.protocol.message.OffsetCommitResponseData;
import dev.skiff.protocol.message.OffsetFetchRequestData;
import dev.skiff.protocol.message.OffsetFetchResponseData;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * Lists, describes and deletes consumer groups and reads their committed offsets and lag, on Skiff or any
 * Kafka broker: what {@code skiff group} and Kafka's consumer-groups tool show.
 *
 * <pre>{@code
 * try (GroupAdmin groups = GroupAdmin.create("127.0.0.1:9092")) {
 *     for (GroupAdmin.Listing g : groups.listGroups()) { ... }
 *     Map<TopicPartition, Long> committed = groups.committedOffsets("billing");
 *     Map<TopicPartition, Long> ends = groups.endOffsets(committed.keySet());
 * }
 * }</pre>
 *
 * Every call waits for the answer and fails with an {@link AdminException} saying what went wrong.
 * Thread-safe: calls are serialized.
 */
public final class GroupAdmin implements AutoCloseable {
    /** A group as ListGroups reports it. */
    public record Listing(String groupId, String protocolType, String state) {
    }

    /** A member of a described group with the partitions the leader gave it (consumer groups only). */
    public record Member(String memberId, String instanceId, String clientId, String host,
                         List<TopicPartition> assignment) {
    }

    /** A group as DescribeGroups reports it. */
    public record Description(String groupId, String state, String protocolType, String protocol,
                              List<Member> members) {
    }

    private final AdminSettings settings;
    private final SyncClient client;
    private final OffsetLookup lookup;
    private boolean closed;

    private GroupAdmin(AdminSettings settings) {
        this.settings = settings;
        this.client = new SyncClient(settings.bootstrapServers(), settings.clientId(), settings.requestTimeoutMs(),
                settings.reconnectBackoffMs(), settings.reconnectBackoffMaxMs(), Long.MAX_VALUE / 4);
        this.lookup = new OffsetLookup(client);
    }

    /** A group admin for {@code bootstrapServers} with default settings. */
    public static GroupAdmin create(String bootstrapServers) {
        return create(Map.of(AdminSettings.BOOTSTRAP_SERVERS, bootstrapServers));
    }

    /** A group admin from the same Kafka-style properties {@link SkiffAdmin#create(Map)} takes. */
    public static GroupAdmin create(Map<String, ?> properties) {
        return new GroupAdmin(AdminSettings.parse(properties));
    }

    /** Every group of every broker, sorted by id. */
    public synchronized List<Listing> listGroups() {
        return run(deadline -> {
            client.fetchMetadata(List.of(), deadline);
            final List<Listing> out = new ArrayList<>();
            for (Node node : client.metadata().nodes()) {
                client.readyNode(node, deadline);
                final short version = client.version(node, ApiKeys.LIST_GROUPS, (short) 0, (short) 4);
                final ListGroupsResponseData response = (ListGroupsResponseData) client.send(node,
                        new ListGroupsRequestData(), version, deadline);
                final Errors error = Errors.forCode(response.errorCode());
                if (error != Errors.NONE) {
                    throw new AdminException("Listing groups on " + node + " failed with " + error + ": "
                            + error.message(), error);
                }
                for (ListGroupsResponseData.ListedGroup g : response.groups()) {
                    out.add(new Listing(g.groupId(), g.protocolType(), version >= 4 ? g.groupState() : ""));
                }
            }
            out.sort(Comparator.comparing(Listing::groupId));
            return out;
        });
    }

    /**
     * The group's state and members with their assignments.
     *
     * @throws AdminException GROUP_ID_NOT_FOUND when the group does not exist (state Dead)
     */
    public synchronized Description describeGroup(String groupId) {
        Objects.requireNonNull(groupId, "groupId");
        return run(deadline -> {
            final Node node = coordinator(groupId, deadline);
            final short version = client.version(node, ApiKeys.DESCRIBE_GROUPS, (short) 0);
            final DescribeGroupsResponseData response = (DescribeGroupsResponseData) client.send(node,
                    new DescribeGroupsRequestData().setGroups(new ArrayList<>(List.of(groupId))), version, deadline);
            final DescribeGroupsResponseData.DescribedGroup g = response.groups().get(0);
            final Errors error = Errors.forCode(g.errorCode());
            if (error != Errors.NONE) {
                throw groupError("describe", groupId, error);
            }
            if ("Dead".equals(g.groupState())) {
                throw groupError("describe", groupId, Errors.GROUP_ID_NOT_FOUND);
            }
            final List<Member> members = new ArrayList<>();
            for (DescribeGroupsResponseData.DescribedGroupMember m : g.members()) {
                List<TopicPartition> assignment = List.of();
                if (ConsumerProtocol.PROTOCOL_TYPE.equals(g.protocolType())) {
                    try {
                        assignment = ConsumerProtocol.assignedPartitions(m.memberAssignment());
                    } catch (DecodeException e) {
                        assignment = List.of(); // a member mid-rebalance or a foreign client: nothing to show
                    }
                }
                members.add(new Member(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                        assignment));
            }
            return new Description(g.groupId(), g.groupState(), g.protocolType(), g.protocolData(),
                    List.copyOf(members));
        });
    }

    /** Every offset the group has committed, by partition (sorted by topic, then partition). */
    public synchronized Map<TopicPartition, Long> committedOffsets(String groupId) {
        Objects.requireNonNull(groupId, "groupId");
        return run(deadline -> {
            final Node node = coordinator(groupId, deadline);
            final short version = client.version(node, ApiKeys.OFFSET_FETCH, (short) 2, (short) 7);
            final OffsetFetchResponseData response = (OffsetFetchResponseData) client.send(node,
                    new OffsetFetchRequestData().setGroupId(groupId).setTopics(null), version, deadline);
            final Errors error = Errors.forCode(response.errorCode());
            if (error != Errors.NONE) {
                throw groupError("fetch offsets of", groupId, error);
            }
            final Map<TopicPartition, Long> out = new TreeMap<>(Comparator.comparing(TopicPartition::topic)
                    .thenComparingInt(TopicPartition::partition));
            for (OffsetFetchResponseData.OffsetFetchResponseTopic t : response.topics()) {
                for (OffsetFetchResponseData.OffsetFetchResponsePartition p : t.partitions()) {
                    if (p.errorCode() == Errors.NONE.code() && p.committedOffset() >= 0) {
                        out.put(new TopicPartition(t.name(), p.partitionIndex()), p.committedOffset());
                    }
                }
            }
            return out;
        });
    }

    /** The end (high watermark) of each partition; -1 where it cannot be looked up. */
    public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return offsets(partitions, OffsetLookup.LATEST);
    }

    /** The first offset (log start) of each partition; -1 where it cannot be looked up. */
    public synchronized Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return offsets(partitions, OffsetLookup.EARLIEST);
    }

    /**
     * Every partition of {@code topic}.
     *
     * @throws AdminException UNKNOWN_TOPIC_OR_PARTITION when the topic does not exist
     */
    public synchronized List<TopicPartition> partitionsOf(String topic) {
        Objects.requireNonNull(topic, "topic");
        return run(deadline -> {
            client.fetchMetadata(List.of(topic), deadline);
            final TopicInfo info = client.metadata().topic(topic);
            final Errors error = info == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION : info.error();
            if (error != Errors.NONE) {
                throw new AdminException("Topic '" + topic + "': " + error + " (" + error.message() + ")", error);
            }
            final List<TopicPartition> out = new ArrayList<>();
            for (int p = 0; p < info.partitionCount(); p++) {
                out.add(new TopicPartition(topic, p));
            }
            return out;
        });
    }

    /**
     * Commits offsets for a group from outside it (generation -1, no member id), as Kafka's consumer-groups
     * tool does to reset offsets. The coordinator accepts this only while the group has no members.
     *
     * @throws AdminException e.g. UNKNOWN_MEMBER_ID or REBALANCE_IN_PROGRESS while members are active
     */
    public synchronized void commitOffsets(String groupId, Map<TopicPartition, Long> offsets) {
        Objects.requireNonNull(groupId, "groupId");
        run(deadline -> {
            final Node node = coordinator(groupId, deadline);
            final short version = client.version(node, ApiKeys.OFFSET_COMMIT, (short) 2, (short) 8);
            final Map<String, List<OffsetCommitRequestData.OffsetCommitRequestPartition>> byTopic = new TreeMap<>();
            offsets.forEach((tp, offset) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                    .add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(tp.partition())
                            .setCommittedOffset(offset).setCommittedMetadata("")));
            final List<OffsetCommitRequestData.OffsetCommitRequestTopic> topics = new ArrayList<>();
            byTopic.forEach((t, ps) -> topics.add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(t)
                    .setPartitions(ps)));
            final OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(groupId)
                    .setGenerationIdOrMemberEpoch(-1).setMemberId("").setTopics(topics);
            if (version <= 4) {
                request.setRetentionTimeMs(-1);
            }
            final OffsetCommitResponseData response = (OffsetCommitResponseData) client.send(node, request, version,
                    deadline);
            for (OffsetCommitResponseData.OffsetCommitResponseTopic t : response.topics()) {
                for (OffsetCommitResponseData.OffsetCommitResponsePartition p : t.partitions()) {
                    final Errors error = Errors.forCode(p.errorCode());
                    if (error == Errors.UNKNOWN_MEMBER_ID || error == Errors.ILLEGAL_GENERATION
                            || error == Errors.REBALANCE_IN_PROGRESS) {
                        throw new AdminException("Cannot commit offsets of group '" + groupId + "' while it has "
                                + "active members (" + error + "): stop its consumers first", error);
                    }
                    if (error != Errors.NONE) {
                        throw groupError("commit offsets of " + t.name() + "-" + p.partitionIndex() + " for",
                                groupId, error);
                    }
                }
            }
            return null;
        });
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, long query) {
        return run(deadline -> {
            final Map<TopicPartition, Long> queries = new LinkedHashMap<>();
            partitions.forEach(tp -> queries.put(tp, query));
            final Map<TopicPartition, Long> out = new LinkedHashMap<>();
            if (queries.isEmpty()) {
                return out;
            }
            lookup.lookup(queries, (byte) 0, deadline).forEach((tp, r) -> out.put(tp,
                    r.error() == Errors.NONE ? r.offset() : -1L));
            return out;
        });
    }

    /**
     * Deletes a group and its committed offsets.
     *
     * @throws AdminException GROUP_ID_NOT_FOUND, or NON_EMPTY_GROUP while it has members
     */
    public synchronized void deleteGroup(String groupId) {
        Objects.requireNonNull(groupId, "groupId");
        run(deadline -> {
            final Node node = coordinator(groupId, deadline);
            final short version = client.version(node, ApiKeys.DELETE_GROUPS, (short) 0);
            final DeleteGroupsResponseData response = (DeleteGroupsResponseData) client.send(node,
                    new DeleteGroupsRequestData().setGroupsNames(new ArrayList<>(List.of(groupId))), version,
                    deadline);
            for (DeleteGroupsResponseData.DeletableGroupResult r : response.results()) {
                final Errors error = Errors.forCode(r.errorCode());
                if (error != Errors.NONE) {
                    throw groupError("delete", groupId, error);
                }
            }
            return null;
        });
    }

    private Node coordinator(String groupId, long deadline) {
        while (true) {
            final Node any = client.anyReadyNode(deadline);
            final short version = client.version(any, ApiKeys.FIND_COORDINATOR, (short) 0, (short) 3);
            final FindCoordinatorResponseData response = (FindCoordinatorResponseData) client.send(any,
                    new FindCoordinatorRequestData().setKey(groupId), version, deadline);
            final Errors error = Errors.forCode(response.errorCode());
            if (error == Errors.NONE) {
                return client.readyNode(new Node(response.nodeId(), response.host(), response.port()), deadline);
            }
            if (!error.isRetriable() || System.nanoTime() - deadline >= 0) {
                throw groupError("find the coordinator of", groupId, error);
            }
            client.pollUntil(() -> false, Math.min(deadline, SyncClient.deadline(settings.retryBackoffMs())));
        }
    }

    private static AdminException groupError(String action, String groupId, Errors error) {
        switch (error) {
            case GROUP_ID_NOT_FOUND:
                return new AdminException("Group '" + groupId + "' does not exist", error);
            case NON_EMPTY_GROUP:
                return new AdminException("Cannot " + action + " group '" + groupId + "': it still has members; "
                        + "stop its consumers first", error);
            case GROUP_AUTHORIZATION_FAILED:
                return new AdminException("Not authorized to " + action + " group '" + groupId + "'", error);
            default:
                return new AdminException("Could not " + action + " group '" + groupId + "': " + error + " ("
                        + error.message() + ")", error);
        }
    }

    private <T> T run(LongFunction<T> call) {
        if (closed) {
            throw new IllegalStateException("the group admin is closed");
        }
        try {
            return call.apply(SyncClient.deadline(settings.defaultApiTimeoutMs()));
        } catch (ClientRequestException e) {
            throw AdminErrors.network(e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        client.close();
    }
}

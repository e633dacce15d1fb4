package dev.skiff.client.consumer.internal;

import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.ConsumerException;
import dev.skiff.client.internal.ClientRequestException;
import dev.skiff.client.internal.Node;
import dev.skiff.client.internal.SyncClient;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.OffsetCommitRequestData;
import dev.skiff.protocol.message.OffsetCommitResponseData;
import dev.skiff.protocol.message.OffsetFetchRequestData;
import dev.skiff.protocol.message.OffsetFetchResponseData;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A group's committed offsets: OffsetFetch and OffsetCommit at the newest version both sides speak that still
 * names topics (OffsetCommit 2-9, OffsetFetch 1-9; version 10 of both carries topic ids only).
 *
 * <p>OffsetFetch from v8 asks for a list of groups (KIP-709); this member asks for its one group and reads
 * its error from the group entry instead of the top level.
 */
final class GroupOffsets {
    /** Newest OffsetCommit that carries topic names. */
    private static final short OFFSET_COMMIT_MAX = 9;
    /** Newest OffsetFetch that carries topic names. */
    private static final short OFFSET_FETCH_MAX = 9;
    private static final short OFFSET_FETCH_GROUPS = 8;

    private final GroupCoordinator group;
    private final SyncClient client;

    GroupOffsets(GroupCoordinator group, SyncClient client) {
        this.group = group;
        this.client = client;
    }

    /** The committed offsets of {@code partitions}; -1 where the group has none. */
    Map<TopicPartition, Long> fetchCommitted(Collection<TopicPartition> partitions, long deadline) {
        final Map<TopicPartition, Long> out = new LinkedHashMap<>();
        if (partitions.isEmpty()) {
            return out;
        }
        final Map<String, List<Integer>> byTopic = byTopic(partitions);
        while (true) {
            final Node node = group.ensureCoordinator(deadline);
            final short version = client.version(node, ApiKeys.OFFSET_FETCH, (short) 1, OFFSET_FETCH_MAX);
            final OffsetFetchRequestData request = new OffsetFetchRequestData();
            if (version >= OFFSET_FETCH_GROUPS) {
                final List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics = new ArrayList<>();
                byTopic.forEach((t, ps) -> topics.add(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                        .setName(t).setPartitionIndexes(new ArrayList<>(ps))));
                request.setGroups(new ArrayList<>(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                        .setGroupId(group.groupId()).setTopics(topics))));
            } else {
                final List<OffsetFetchRequestData.OffsetFetchRequestTopic> topics = new ArrayList<>();
                byTopic.forEach((t, ps) -> topics.add(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName(t).setPartitionIndexes(new ArrayList<>(ps))));
                request.setGroupId(group.groupId()).setTopics(topics);
            }
            final OffsetFetchResponseData response = (OffsetFetchResponseData) group.send(node, request, version,
                    deadline);
            final Errors error;
            if (version >= OFFSET_FETCH_GROUPS) {
                final OffsetFetchResponseData.OffsetFetchResponseGroup answer = response.groups().stream()
                        .filter(g -> group.groupId().equals(g.groupId())).findFirst().orElse(null);
                if (answer == null) {
                    throw new ConsumerException("Group '" + group.groupId() + "': the OffsetFetch answer of " + node
                            + " does not name the group", Errors.UNKNOWN_SERVER_ERROR);
                }
                error = Errors.forCode(answer.errorCode());
                if (error == Errors.NONE) {
                    for (OffsetFetchResponseData.OffsetFetchResponseTopics t : answer.topics()) {
                        for (OffsetFetchResponseData.OffsetFetchResponsePartitions p : t.partitions()) {
                            put(out, t.name(), p.partitionIndex(), p.committedOffset(), p.errorCode());
                        }
                    }
                }
            } else {
                error = Errors.forCode(response.errorCode());
                if (error == Errors.NONE) {
                    for (OffsetFetchResponseData.OffsetFetchResponseTopic t : response.topics()) {
                        for (OffsetFetchResponseData.OffsetFetchResponsePartition p : t.partitions()) {
                            put(out, t.name(), p.partitionIndex(), p.committedOffset(), p.errorCode());
                        }
                    }
                }
            }
            if (error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_NOT_AVAILABLE) {
                group.coordinatorUnknown(node);
                continue;
            }
            if (error == Errors.COORDINATOR_LOAD_IN_PROGRESS) {
                group.backoff(deadline);
                continue;
            }
            if (error != Errors.NONE) {
                throw group.groupError("OffsetFetch", error);
            }
            return out;
        }
    }

    private void put(Map<TopicPartition, Long> out, String topic, int partition, long offset, short errorCode) {
        final Errors pe = Errors.forCode(errorCode);
        if (pe != Errors.NONE && pe != Errors.UNKNOWN_TOPIC_OR_PARTITION) {
            throw new ConsumerException("Group " + group.groupId() + ": fetching the committed offset of " + topic
                    + "-" + partition + " failed with " + pe + ": " + pe.message(), pe);
        }
        out.put(new TopicPartition(topic, partition), pe == Errors.NONE ? offset : -1L);
    }

    /** Sends an OffsetCommit for {@code offsets} without waiting; the answer is read by {@link #commitResult}. */
    SyncClient.Pending commitAsync(Node node, Map<TopicPartition, Long> offsets) {
        final short version = client.version(node, ApiKeys.OFFSET_COMMIT, (short) 2, OFFSET_COMMIT_MAX);
        final GroupCoordinator.Generation gen = group.generation();
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
        final OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group.groupId())
                .setGenerationIdOrMemberEpoch(gen.id()).setMemberId(gen.memberId()).setTopics(topics);
        if (version >= 7) {
            request.setGroupInstanceId(group.instanceId());
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
    boolean commitResult(Node node, SyncClient.Pending pending, long deadline) {
        if (!client.pollUntil(pending::isDone, deadline)) {
            throw new ClientRequestException(ClientRequestException.Reason.TIMEOUT, Errors.REQUEST_TIMED_OUT,
                    "OffsetCommit to " + node + " got no answer in time", null);
        }
        final OffsetCommitResponseData response = (OffsetCommitResponseData) SyncClient.result(pending,
                "OffsetCommit");
        final GroupCoordinator.Generation gen = group.generation();
        for (OffsetCommitResponseData.OffsetCommitResponseTopic t : response.topics()) {
            for (OffsetCommitResponseData.OffsetCommitResponsePartition p : t.partitions()) {
                final Errors error = Errors.forCode(p.errorCode());
                switch (error) {
                    case NONE:
                        break;
                    case NOT_COORDINATOR:
                    case COORDINATOR_NOT_AVAILABLE:
                        group.coordinatorUnknown(node);
                        return false;
                    case COORDINATOR_LOAD_IN_PROGRESS:
                        return false;
                    case UNKNOWN_MEMBER_ID:
                    case ILLEGAL_GENERATION:
                    case FENCED_INSTANCE_ID:
                        group.resetGeneration(gen, error == Errors.UNKNOWN_MEMBER_ID, "commit refused with " + error);
                        throw commitFailed(error);
                    case REBALANCE_IN_PROGRESS:
                        group.requestRejoin("commit refused with " + error);
                        throw commitFailed(error);
                    default:
                        throw new ConsumerException("Group " + group.groupId() + ": committing the offset of "
                                + t.name() + "-" + p.partitionIndex() + " failed with " + error + ": "
                                + error.message(), error);
                }
            }
        }
        return true;
    }

    /** Commits {@code offsets} and waits, retrying coordinator moves until the deadline. */
    void commitSync(Map<TopicPartition, Long> offsets, long deadline) {
        if (offsets.isEmpty()) {
            return;
        }
        while (true) {
            final Node node = group.ensureCoordinator(deadline);
            if (commitResult(node, commitAsync(node, offsets), deadline)) {
                return;
            }
            group.backoff(deadline);
        }
    }

    private ConsumerException commitFailed(Errors error) {
        return new ConsumerException("Group " + group.groupId() + ": the commit failed with " + error + " because the "
                + "group rebalanced and these partitions may now belong to another member; the next poll rejoins. "
                + "Commit more often or raise max.poll.interval.ms if processing takes long", error);
    }

    private static Map<String, List<Integer>> byTopic(Collection<TopicPartition> partitions) {
        final Map<String, List<Integer>> out = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            out.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        return out;
    }
}

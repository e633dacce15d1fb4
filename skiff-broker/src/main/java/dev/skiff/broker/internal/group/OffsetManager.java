package dev.skiff.broker.internal.group;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.OffsetCommitRequestData;
import dev.skiff.protocol.message.OffsetCommitResponseData;
import dev.skiff.protocol.message.OffsetDeleteRequestData;
import dev.skiff.protocol.message.OffsetDeleteResponseData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Committed offsets: OffsetCommit, OffsetDelete and offsets.retention.minutes expiry (OffsetFetch reads
 * the groups directly). Runs only on the coordinator thread.
 *
 * <p>A commit is validated against the group as Kafka's classic coordinator does: a commit with a
 * negative generation and no member id is a "simple" commit, allowed while the group has no members
 * (tools, manual assignment); anything else must come from a current member of the current generation,
 * and not while the group waits for SyncGroup. The offsets are written to the group log and applied at
 * once; the answer goes out when the write is fsync'd.
 */
final class OffsetManager {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetManager.class);
    private static final String CONSUMER_PROTOCOL = "consumer";

    private final Map<String, Group> groups;
    private final CoordinatorScheduler scheduler;
    private final GroupConfig config;
    private final GroupLog log;
    private final TopicCatalog topics;
    private final Rebalancer rebalancer;

    OffsetManager(Map<String, Group> groups, CoordinatorScheduler scheduler, GroupConfig config, GroupLog log,
                  TopicCatalog topics, Rebalancer rebalancer) {
        this.groups = groups;
        this.scheduler = scheduler;
        this.config = config;
        this.log = log;
        this.topics = topics;
        this.rebalancer = rebalancer;
    }

    void commit(OffsetCommitRequestData req, short version, Consumer<OffsetCommitResponseData> respond) {
        final long now = scheduler.nowMs();
        final String groupId = req.groupId();
        final Errors groupError = validateCommit(req, version, now);
        final OffsetCommitResponseData response = new OffsetCommitResponseData();
        final List<GroupLog.Entry> entries = new ArrayList<>();
        final List<Runnable> apply = new ArrayList<>();
        final List<OffsetCommitResponseData.OffsetCommitResponsePartition> written = new ArrayList<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : req.topics()) {
            final String topic = version >= 10 ? topics.topicName(t.topicId()) : t.name();
            final Errors missing = version >= 10 && topic == null ? Errors.UNKNOWN_TOPIC_ID
                    : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            final int partitions = topic == null ? -1 : topics.partitionCount(topic);
            final OffsetCommitResponseData.OffsetCommitResponseTopic rt =
                    new OffsetCommitResponseData.OffsetCommitResponseTopic();
            if (version >= 10) {
                rt.setTopicId(t.topicId());
            } else {
                rt.setName(t.name());
            }
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                final OffsetCommitResponseData.OffsetCommitResponsePartition rp =
                        new OffsetCommitResponseData.OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex());
                Errors error = groupError;
                if (error == Errors.NONE) {
                    if (p.partitionIndex() < 0 || p.partitionIndex() >= partitions) {
                        error = missing;
                    } else if (p.committedMetadata() != null
                            && p.committedMetadata().length() > config.offsetMetadataMaxBytes()) {
                        error = Errors.OFFSET_METADATA_TOO_LARGE;
                    }
                }
                rp.setErrorCode(error.code());
                if (error == Errors.NONE) {
                    final CommittedOffset value = new CommittedOffset(p.committedOffset(),
                            version >= 6 ? p.committedLeaderEpoch() : -1, p.committedMetadata(), now);
                    final int partition = p.partitionIndex();
                    entries.add(new GroupLog.Entry(GroupRecords.offsetKey(groupId, topic, partition),
                            GroupRecords.offsetValue(value)));
                    apply.add(() -> groups.get(groupId).putOffset(topic, partition, value));
                    written.add(rp);
                }
                rt.partitions().add(rp);
            }
            response.topics().add(rt);
        }
        if (entries.isEmpty()) {
            respond.accept(response);
            return;
        }
        final CompletableFuture<Void> stored = log.append(entries, now);
        if (!stored.isCompletedExceptionally()) {
            apply.forEach(Runnable::run);
        }
        stored.whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.error("Could not store offsets of group {}", groupId, failure);
                for (OffsetCommitResponseData.OffsetCommitResponsePartition rp : written) {
                    rp.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
                }
            }
            respond.accept(response);
        });
    }

    private Errors validateCommit(OffsetCommitRequestData req, short version, long now) {
        final String groupId = req.groupId();
        if (groupId == null || groupId.isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        final int generation = req.generationIdOrMemberEpoch();
        final String memberId = req.memberId() == null ? "" : req.memberId();
        final String instanceId = version >= 7 ? req.groupInstanceId() : null;
        Group group = groups.get(groupId);
        if (group == null) {
            if (generation >= 0) {
                // A member of a generation this coordinator never saw (e.g. its group was deleted).
                return Errors.ILLEGAL_GENERATION;
            }
            group = new Group(groupId, now);
            groups.put(groupId, group);
            return Errors.NONE;
        }
        if (group.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (group.consumer != null) {
            // KIP-848: the field carries the member epoch.
            return group.consumer.validateOffsetCommit(memberId.isEmpty() ? null : memberId, generation, version);
        }
        if (generation < 0 && memberId.isEmpty() && instanceId == null) {
            return group.hasMembers() ? Errors.UNKNOWN_MEMBER_ID : Errors.NONE;
        }
        if (group.isFenced(instanceId, memberId)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        final GroupMember member = group.member(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (generation != group.generation) {
            return Errors.ILLEGAL_GENERATION;
        }
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        rebalancer.touch(member);
        return Errors.NONE;
    }

    void delete(OffsetDeleteRequestData req, Consumer<OffsetDeleteResponseData> respond) {
        final long now = scheduler.nowMs();
        final OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        final Group group = groups.get(req.groupId());
        if (group == null || group.is(GroupState.DEAD)) {
            respond.accept(response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
            return;
        }
        Set<String> subscribed = Set.of();
        if (group.hasConsumerMembers()) {
            subscribed = group.consumer.subscribedTopicNames();
        } else if (group.hasMembers()) {
            if (!CONSUMER_PROTOCOL.equals(group.protocolType)) {
                respond.accept(response.setErrorCode(Errors.NON_EMPTY_GROUP.code()));
                return;
            }
            subscribed = subscribedTopics(group);
        }
        final List<GroupLog.Entry> entries = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : req.topics()) {
            final OffsetDeleteResponseData.OffsetDeleteResponseTopic rt =
                    new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(t.name());
            final int partitions = topics.partitionCount(t.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : t.partitions()) {
                final Errors error;
                if (p.partitionIndex() < 0 || p.partitionIndex() >= partitions) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                } else if (subscribed.contains(t.name())) {
                    error = Errors.GROUP_SUBSCRIBED_TO_TOPIC;
                } else {
                    error = Errors.NONE;
                    if (group.offset(t.name(), p.partitionIndex()) != null) {
                        group.removeOffset(t.name(), p.partitionIndex());
                        entries.add(new GroupLog.Entry(GroupRecords.offsetKey(group.groupId, t.name(),
                                p.partitionIndex()), null));
                    }
                }
                rt.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()));
            }
            response.topics().add(rt);
        }
        response.setErrorCode(Errors.NONE.code());
        log.append(entries, now).whenComplete((ok, failure) -> respond.accept(failure == null ? response
                : new OffsetDeleteResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())));
    }

    /** Topics the members of a consumer group subscribe to, from their subscriptions (selected protocol). */
    private static Set<String> subscribedTopics(Group group) {
        final Set<String> all = new HashSet<>();
        for (GroupMember m : group.members.values()) {
            final byte[] metadata = group.protocolName == null ? null : m.metadata(group.protocolName);
            if (metadata != null) {
                all.addAll(ConsumerSubscription.topics(metadata));
            }
        }
        return all;
    }

    /**
     * A deleted topic: every group's committed offsets of it are removed (and tombstoned in the group log),
     * as Kafka's coordinator drops the offsets of deleted partitions, so a topic created again under the
     * same name does not start from the old topic's positions.
     *
     * @return completes with the offsets removed once the tombstones are durable
     */
    CompletableFuture<Integer> deleteTopic(String topic) {
        final List<GroupLog.Entry> entries = new ArrayList<>();
        for (Group group : groups.values()) {
            final Map<Integer, CommittedOffset> byPartition = group.offsets.get(topic);
            if (byPartition == null) {
                continue;
            }
            for (Integer partition : new ArrayList<>(byPartition.keySet())) {
                group.removeOffset(topic, partition);
                entries.add(new GroupLog.Entry(GroupRecords.offsetKey(group.groupId, topic, partition), null));
            }
        }
        if (!entries.isEmpty()) {
            LOG.info("Removed {} committed offset(s) of deleted topic {}", entries.size(), topic);
        }
        return log.append(entries, scheduler.nowMs()).thenApply(ignored -> entries.size());
    }

    /**
     * offsets.retention.minutes: drops the offsets of groups without members once they are older than the
     * retention, counted from when the group became empty (or, for a group never managed by the
     * coordinator, from the commit), then deletes empty groups that have no offsets left.
     *
     * @return offsets expired
     */
    int expire() {
        final long now = scheduler.nowMs();
        final long retention = config.offsetsRetentionMs();
        final List<GroupLog.Entry> entries = new ArrayList<>();
        int expired = 0;
        final Iterator<Group> it = groups.values().iterator();
        while (it.hasNext()) {
            final Group group = it.next();
            if (!group.is(GroupState.EMPTY) || group.hasConsumerMembers()) {
                continue;
            }
            for (String topic : new ArrayList<>(group.offsets.keySet())) {
                for (Map.Entry<Integer, CommittedOffset> e : new ArrayList<>(group.offsets.get(topic).entrySet())) {
                    final long base = group.protocolType != null ? group.stateTimestampMs
                            : e.getValue().commitTimestampMs();
                    if (now - base >= retention) {
                        group.removeOffset(topic, e.getKey());
                        entries.add(new GroupLog.Entry(GroupRecords.offsetKey(group.groupId, topic, e.getKey()),
                                null));
                        expired++;
                    }
                }
            }
            if (!group.hasOffsets() && group.pendingMembers.isEmpty()) {
                group.transition(GroupState.DEAD, now);
                it.remove();
                if (group.generation > 0 || group.protocolType != null) {
                    entries.add(new GroupLog.Entry(GroupRecords.groupKey(group.groupId), null));
                }
                if (group.consumer != null) {
                    entries.add(new GroupLog.Entry(GroupRecords.consumerGroupKey(group.groupId), null));
                }
                LOG.info("Removed empty group {} with no committed offsets", group.groupId);
            }
        }
        if (expired > 0) {
            LOG.info("Expired {} committed offset(s)", expired);
        }
        log.append(entries, now);
        return expired;
    }
}

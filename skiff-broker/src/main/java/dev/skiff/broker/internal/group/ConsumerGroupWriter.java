package dev.skiff.broker.internal.group;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a KIP-848 consumer group's record ({@link GroupRecords#consumerGroupValue}) to the group log, and
 * tells whether a heartbeat changed anything that record holds. Runs on the coordinator thread.
 *
 * <p>Design note: the record is the whole group, so it is rewritten only when something in it changed; a
 * plain heartbeat (the same epoch, assignment and subscription) writes nothing. The write returns once the
 * record is in the log (the page cache), without waiting for the fsync, as Kafka's coordinator does not
 * either: see {@link ConsumerGroupHeartbeats} for why.
 */
final class ConsumerGroupWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupWriter.class);

    private final GroupLog log;

    ConsumerGroupWriter(GroupLog log) {
        this.log = log;
    }

    /**
     * What one member's heartbeat may change of the record: the group's epochs and size (a member added or
     * removed; other members' records change only with a new target, that is a new assignment epoch) and
     * the heartbeating member's persisted fields.
     */
    record Snapshot(int groupEpoch, int assignmentEpoch, int memberCount, GroupRecords.StoredConsumerMember member) {
        /** {@code member} may be null (not a member yet). */
        static Snapshot of(ConsumerGroup group, ConsumerGroupMember member) {
            return new Snapshot(group.groupEpoch, group.assignmentEpoch, group.members.size(),
                    member == null ? null : member.toStored(group.targetOf(member.memberId)));
        }
    }

    /** Writes the group's record; false if the write failed (a failed fsync later is only logged). */
    boolean write(ConsumerGroup group, long now) {
        final CompletableFuture<Void> flushed = log.append(List.of(new GroupLog.Entry(
                GroupRecords.consumerGroupKey(group.groupId), GroupRecords.consumerGroupValue(group.toStored()))), now);
        flushed.whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warn("Consumer group {} could not be stored in {}", group.groupId, GroupLog.PARTITION, failure);
            }
        });
        return !flushed.isCompletedExceptionally();
    }
}

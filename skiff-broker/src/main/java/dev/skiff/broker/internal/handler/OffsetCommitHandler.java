package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.group.GroupCoordinator;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.OffsetCommitRequestData;
import dev.skiff.protocol.message.OffsetCommitResponseData;

/**
 * OffsetCommit (key 8), versions 2-10 (Kafka 4 removed 0-1); v10 names topics by id.
 *
 * <p>Answered once the offsets are fsync'd in the coordinator's log. A partition that does not exist gets
 * UNKNOWN_TOPIC_OR_PARTITION (UNKNOWN_TOPIC_ID for an unknown id); group errors (UNKNOWN_MEMBER_ID,
 * ILLEGAL_GENERATION, FENCED_INSTANCE_ID, REBALANCE_IN_PROGRESS while the group waits for SyncGroup) apply
 * to every partition. The v2-4 retention time is ignored, as in Kafka since 2.1: offsets.retention.minutes
 * governs.
 */
public final class OffsetCommitHandler extends VersionedHandler {
    private final GroupCoordinator coordinator;

    public OffsetCommitHandler(GroupCoordinator coordinator) {
        super(ApiKeys.OFFSET_COMMIT, 2, 10);
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext request) {
        final OffsetCommitRequestData body = (OffsetCommitRequestData) request.body();
        final short version = request.version();
        coordinator.commitOffsets(body, version).whenComplete((response, failure) ->
                request.respond(failure == null ? response : allFailed(body, version)));
    }

    private static OffsetCommitResponseData allFailed(OffsetCommitRequestData body, short version) {
        final OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : body.topics()) {
            final OffsetCommitResponseData.OffsetCommitResponseTopic rt =
                    new OffsetCommitResponseData.OffsetCommitResponseTopic();
            if (version >= 10) {
                rt.setTopicId(t.topicId());
            } else {
                rt.setName(t.name());
            }
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                rt.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex())
                        .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
            }
            response.topics().add(rt);
        }
        return response;
    }
}

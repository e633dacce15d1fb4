package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.cluster.Partition;
import dev.skiff.broker.internal.cluster.Topic;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.ListOffsetsRequestData;
import dev.skiff.protocol.message.ListOffsetsResponseData;
import dev.skiff.storage.OffsetAndTimestamp;
import dev.skiff.storage.PartitionLog;

/**
 * ListOffsets (key 2), versions 1-11.
 *
 * <p>Special timestamps: -1 latest (log end offset), -2 earliest (log start offset), -3 the record
 * with the largest timestamp, -4 earliest local (same as earliest: there is no tiered storage), -5
 * latest tiered and -6 earliest pending upload (none: offset -1). Any other value finds the first
 * offset whose timestamp is at or after it, through the time index; none gives offset -1.
 */
public final class ListOffsetsHandler extends VersionedHandler {
    static final long LATEST = -1L;
    static final long EARLIEST = -2L;
    static final long MAX_TIMESTAMP = -3L;
    static final long EARLIEST_LOCAL = -4L;

    private final BrokerState state;

    public ListOffsetsHandler(BrokerState state) {
        super(ApiKeys.LIST_OFFSETS, 1, 11);
        this.state = state;
    }

    @Override
    public void handle(RequestContext request) {
        final ListOffsetsRequestData body = (ListOffsetsRequestData) request.body();
        final ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic t : body.topics()) {
            final Topic topic = state.topics().topic(t.name());
            final ListOffsetsResponseData.ListOffsetsTopicResponse tr =
                    new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(t.name());
            for (ListOffsetsRequestData.ListOffsetsPartition p : t.partitions()) {
                final ListOffsetsResponseData.ListOffsetsPartitionResponse pr =
                        new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                                .setPartitionIndex(p.partitionIndex())
                                .setTimestamp(-1)
                                .setOffset(-1)
                                .setLeaderEpoch(-1);
                final Partition partition = topic == null ? null : topic.partition(p.partitionIndex());
                if (partition == null) {
                    pr.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else if (p.currentLeaderEpoch() > 0) {
                    pr.setErrorCode(Errors.UNKNOWN_LEADER_EPOCH.code());
                } else {
                    lookup(partition.log(), p.timestamp(), pr);
                    if (request.version() < 4) {
                        pr.setLeaderEpoch(-1);
                    }
                }
                tr.partitions().add(pr);
            }
            response.topics().add(tr);
        }
        request.respond(response);
    }

    private static void lookup(PartitionLog log, long timestamp, ListOffsetsResponseData.ListOffsetsPartitionResponse pr) {
        pr.setErrorCode(Errors.NONE.code());
        if (timestamp == LATEST) {
            pr.setOffset(log.logEndOffset()).setLeaderEpoch(0);
        } else if (timestamp == EARLIEST || timestamp == EARLIEST_LOCAL) {
            pr.setOffset(log.logStartOffset()).setLeaderEpoch(0);
        } else if (timestamp == MAX_TIMESTAMP) {
            final OffsetAndTimestamp max = log.offsetOfMaxTimestamp();
            if (max != null) {
                pr.setOffset(max.offset()).setTimestamp(max.timestamp()).setLeaderEpoch(0);
            }
        } else if (timestamp >= 0) {
            final OffsetAndTimestamp found = log.offsetForTimestamp(timestamp);
            if (found != null) {
                pr.setOffset(found.offset()).setTimestamp(found.timestamp()).setLeaderEpoch(0);
            }
        }
    }
}

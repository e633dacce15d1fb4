package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.cluster.Partition;
import dev.skiff.broker.internal.cluster.Topic;
import dev.skiff.broker.internal.cluster.TopicException;
import dev.skiff.broker.internal.cluster.TopicRegistry;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.Uuids;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.MetadataRequestData;
import dev.skiff.protocol.message.MetadataResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Metadata (key 3), versions 0-13.
 *
 * <p>This broker is the only node, the controller and the leader of every partition (leader epoch 0,
 * one replica, in sync). A topic that does not exist is created on the spot, with
 * {@code num.partitions}, when {@code auto.create.topics.enable} is true and the client allows it
 * (v4+); unlike Kafka, whose creation is asynchronous, the answer already describes the new topic.
 * Invalid names get INVALID_TOPIC_EXCEPTION; unknown ids (v10+) get UNKNOWN_TOPIC_ID.
 */
public final class MetadataHandler extends VersionedHandler {
    /** Kafka's "not requested" marker for authorized operations. */
    static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;
    /** Every topic operation (READ..ALTER_CONFIGS) is allowed: Skiff has no authorizer. */
    static final int ALL_TOPIC_OPERATIONS = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8)
            | (1 << 10) | (1 << 11);

    private final BrokerState state;

    public MetadataHandler(BrokerState state) {
        super(ApiKeys.METADATA, 0, 13);
        this.state = state;
    }

    @Override
    public void handle(RequestContext request) {
        final MetadataRequestData body = (MetadataRequestData) request.body();
        final short version = request.version();
        final boolean includeOps = version >= 8 && body.includeTopicAuthorizedOperations();
        final MetadataResponseData response = new MetadataResponseData()
                .setClusterId(state.clusterId())
                .setControllerId(state.nodeId());
        response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(state.nodeId())
                .setHost(state.advertisedHost())
                .setPort(state.advertisedPort())
                .setRack(null));
        final TopicRegistry topics = state.topics();
        final boolean allTopics = body.topics() == null || (version == 0 && body.topics().isEmpty());
        if (allTopics) {
            for (Topic topic : topics.topics()) {
                response.topics().add(describe(topic, includeOps));
            }
        } else {
            final boolean allowCreate = state.config().autoCreateTopics()
                    && (version < 4 || body.allowAutoTopicCreation());
            for (MetadataRequestData.MetadataRequestTopic wanted : body.topics()) {
                response.topics().add(lookup(wanted, allowCreate, includeOps));
            }
        }
        request.respond(response);
    }

    private MetadataResponseData.MetadataResponseTopic lookup(MetadataRequestData.MetadataRequestTopic wanted,
                                                              boolean allowCreate, boolean includeOps) {
        final TopicRegistry topics = state.topics();
        final String name = wanted.name();
        // Clients asking by id send a null or empty name (kafka-clients 4.4 sends ""): the id decides.
        if (wanted.topicId() != null && !Uuids.ZERO.equals(wanted.topicId())) {
            final Topic byId = topics.topic(wanted.topicId());
            if (byId == null) {
                return new MetadataResponseData.MetadataResponseTopic()
                        .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                        .setTopicId(wanted.topicId())
                        .setName(null)
                        .setTopicAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
            }
            return describe(byId, includeOps);
        }
        Topic topic = topics.topic(name);
        if (topic == null) {
            if (TopicRegistry.invalidNameReason(name) != null) {
                return error(name, Errors.INVALID_TOPIC_EXCEPTION);
            }
            if (!allowCreate || TopicRegistry.isInternal(name)) {
                return error(name, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
            try {
                topic = topics.create(name, state.config().numPartitions(), Map.of(), false);
            } catch (TopicException e) {
                topic = topics.topic(name);
                if (topic == null) {
                    return error(name, e.error());
                }
            }
        }
        return describe(topic, includeOps);
    }

    private static MetadataResponseData.MetadataResponseTopic error(String name, Errors error) {
        return new MetadataResponseData.MetadataResponseTopic()
                .setErrorCode(error.code())
                .setName(name)
                .setTopicId(Uuids.ZERO)
                .setTopicAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
    }

    private MetadataResponseData.MetadataResponseTopic describe(Topic topic, boolean includeOps) {
        final List<MetadataResponseData.MetadataResponsePartition> partitions = new ArrayList<>();
        final List<Integer> self = List.of(state.nodeId());
        for (Partition p : topic.partitions()) {
            partitions.add(new MetadataResponseData.MetadataResponsePartition()
                    .setErrorCode(Errors.NONE.code())
                    .setPartitionIndex(p.index())
                    .setLeaderId(state.nodeId())
                    .setLeaderEpoch(0)
                    .setReplicaNodes(new ArrayList<>(self))
                    .setIsrNodes(new ArrayList<>(self))
                    .setOfflineReplicas(new ArrayList<>()));
        }
        return new MetadataResponseData.MetadataResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(false)
                .setPartitions(partitions)
                .setTopicAuthorizedOperations(includeOps ? ALL_TOPIC_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED);
    }
}

package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.cluster.Topic;
import dev.skiff.broker.internal.cluster.TopicConfigs;
import dev.skiff.broker.internal.cluster.TopicException;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.Uuids;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.CreateTopicsRequestData;
import dev.skiff.protocol.message.CreateTopicsResponseData;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * CreateTopics (key 19), versions 2-7.
 *
 * <p>Creation is synchronous: when the answer arrives the topic's logs exist on disk. A replication
 * factor above 1 gets INVALID_REPLICATION_FACTOR (one node holds one replica); -1 means the default.
 * Explicit replica assignments are accepted when they name only this node. A name given twice in one
 * request gets INVALID_REQUEST for each occurrence, as Kafka does. v5+ answers carry the effective
 * configuration of the new topic.
 */
public final class CreateTopicsHandler extends VersionedHandler {
    private final BrokerState state;

    public CreateTopicsHandler(BrokerState state) {
        super(ApiKeys.CREATE_TOPICS, 2, 7);
        this.state = state;
    }

    @Override
    public void handle(RequestContext request) {
        final CreateTopicsRequestData body = (CreateTopicsRequestData) request.body();
        final CreateTopicsResponseData response = new CreateTopicsResponseData();
        final Set<String> seen = new HashSet<>();
        final Set<String> duplicates = new HashSet<>();
        for (CreateTopicsRequestData.CreatableTopic t : body.topics()) {
            if (!seen.add(t.name())) {
                duplicates.add(t.name());
            }
        }
        for (CreateTopicsRequestData.CreatableTopic t : body.topics()) {
            final CreateTopicsResponseData.CreatableTopicResult result = new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(t.name())
                    .setTopicId(Uuids.ZERO)
                    .setNumPartitions(-1)
                    .setReplicationFactor((short) -1)
                    .setConfigs(null);
            if (duplicates.contains(t.name())) {
                response.topics().add(result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Create topics request from client `" + request.clientId()
                                + "` contains multiple entries for the following topics: " + t.name()));
                continue;
            }
            try {
                response.topics().add(create(t, body.validateOnly(), result, request.version()));
            } catch (TopicException e) {
                response.topics().add(result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage()));
            }
        }
        request.respond(response);
    }

    private CreateTopicsResponseData.CreatableTopicResult create(CreateTopicsRequestData.CreatableTopic t,
            boolean validateOnly, CreateTopicsResponseData.CreatableTopicResult result, short version) {
        int partitions = t.numPartitions();
        short replication = t.replicationFactor();
        if (!t.assignments().isEmpty()) {
            if (partitions != -1 || replication != -1) {
                throw new TopicException(Errors.INVALID_REQUEST,
                        "Both numPartitions or replicationFactor and replicasAssignments were set. "
                                + "Both cannot be used at the same time.");
            }
            for (CreateTopicsRequestData.CreatableReplicaAssignment a : t.assignments()) {
                for (int broker : a.brokerIds()) {
                    if (broker != state.nodeId()) {
                        throw new TopicException(Errors.INVALID_REPLICA_ASSIGNMENT, "Replica assignment for partition "
                                + a.partitionIndex() + " names broker " + broker + ", which does not exist");
                    }
                }
            }
            partitions = t.assignments().size();
            replication = 1;
        }
        if (partitions == -1) {
            partitions = state.config().numPartitions();
        }
        if (replication == -1) {
            replication = 1;
        }
        if (replication < 1) {
            throw new TopicException(Errors.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0, "
                    + "or -1 to use the default value.");
        }
        if (replication > 1) {
            throw new TopicException(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition "
                    + replication + " time(s): The target replication factor of " + replication
                    + " cannot be reached because only 1 broker(s) are registered.");
        }
        final Map<String, String> overrides = new LinkedHashMap<>();
        for (CreateTopicsRequestData.CreatableTopicConfig c : t.configs()) {
            overrides.put(c.name(), c.value());
        }
        final Topic topic = state.topics().create(t.name(), partitions, overrides, validateOnly);
        result.setErrorCode(Errors.NONE.code()).setErrorMessage(null)
                .setNumPartitions(partitions)
                .setReplicationFactor(replication);
        if (!validateOnly) {
            result.setTopicId(topic.id());
        }
        if (version >= 5) {
            result.setConfigs(new java.util.ArrayList<>());
            for (TopicConfigs.Entry e : TopicConfigs.ENTRIES) {
                final Map<String, String> effective = TopicConfigs.effective(state.config(), overrides);
                result.configs().add(new CreateTopicsResponseData.CreatableTopicConfigs()
                        .setName(e.key().name())
                        .setValue(effective.get(e.key().name()))
                        .setReadOnly(false)
                        .setConfigSource(ConfigSources.code(TopicConfigs.sourceOf(e, state.config(), overrides)))
                        .setIsSensitive(false));
            }
        }
        return result;
    }
}

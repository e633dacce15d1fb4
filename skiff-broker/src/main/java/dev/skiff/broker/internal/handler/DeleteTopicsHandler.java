package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.cluster.Topic;
import dev.skiff.broker.internal.cluster.TopicException;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.Uuids;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.DeleteTopicsRequestData;
import dev.skiff.protocol.message.DeleteTopicsResponseData;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * DeleteTopics (key 20), versions 1-6.
 *
 * <p>Deletion is synchronous: the partition directories are gone when the answer is sent. v6 names
 * topics by name or id. TOPIC_DELETION_DISABLED when {@code delete.topic.enable=false}.
 */
public final class DeleteTopicsHandler extends VersionedHandler {
    private final BrokerState state;
    private final Consumer<String> onDeleted;

    /**
     * @param onDeleted told the name of each topic deleted, after the deletion (the group coordinator drops
     *                  committed offsets of it)
     */
    public DeleteTopicsHandler(BrokerState state, Consumer<String> onDeleted) {
        super(ApiKeys.DELETE_TOPICS, 1, 6);
        this.state = state;
        this.onDeleted = onDeleted;
    }

    @Override
    public void handle(RequestContext request) {
        final DeleteTopicsRequestData body = (DeleteTopicsRequestData) request.body();
        final DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        if (request.version() >= 6) {
            for (DeleteTopicsRequestData.DeleteTopicState t : body.topics()) {
                response.responses().add(delete(t.name(), t.topicId()));
            }
        } else {
            for (String name : body.topicNames()) {
                response.responses().add(delete(name, null));
            }
        }
        request.respond(response);
    }

    private DeleteTopicsResponseData.DeletableTopicResult delete(String name, UUID id) {
        final DeleteTopicsResponseData.DeletableTopicResult result = new DeleteTopicsResponseData.DeletableTopicResult()
                .setName(name)
                .setTopicId(id == null ? Uuids.ZERO : id);
        String target = name;
        if (target == null) {
            final Topic byId = state.topics().topic(id);
            if (byId == null) {
                return result.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()).setErrorMessage(Errors.UNKNOWN_TOPIC_ID.message());
            }
            target = byId.name();
            result.setName(target);
        }
        if (!state.config().deleteTopicEnable()) {
            return result.setErrorCode(Errors.TOPIC_DELETION_DISABLED.code())
                    .setErrorMessage("Topic deletion is disabled (delete.topic.enable=false).");
        }
        final Topic topic = state.topics().topic(target);
        if (topic != null) {
            result.setTopicId(topic.id());
        }
        try {
            state.topics().delete(target);
            onDeleted.accept(target);
            return result.setErrorCode(Errors.NONE.code()).setErrorMessage(null);
        } catch (TopicException e) {
            return result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
    }
}

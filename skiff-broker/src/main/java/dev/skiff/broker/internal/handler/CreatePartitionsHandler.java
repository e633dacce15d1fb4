package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.cluster.TopicException;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.CreatePartitionsRequestData;
import dev.skiff.protocol.message.CreatePartitionsResponseData;

/**
 * CreatePartitions (key 37), versions 0-3.
 *
 * <p>Grows a topic to the requested count; new partitions are empty logs led by this node. A count
 * not above the current one gets INVALID_PARTITIONS; assignments naming other brokers get
 * INVALID_REPLICA_ASSIGNMENT.
 */
public final class CreatePartitionsHandler extends VersionedHandler {
    private final BrokerState state;

    public CreatePartitionsHandler(BrokerState state) {
        super(ApiKeys.CREATE_PARTITIONS, 0, 3);
        this.state = state;
    }

    @Override
    public void handle(RequestContext request) {
        final CreatePartitionsRequestData body = (CreatePartitionsRequestData) request.body();
        final CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        for (CreatePartitionsRequestData.CreatePartitionsTopic t : body.topics()) {
            final CreatePartitionsResponseData.CreatePartitionsTopicResult result =
                    new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(t.name());
            try {
                if (t.assignments() != null) {
                    for (CreatePartitionsRequestData.CreatePartitionsAssignment a : t.assignments()) {
                        for (int broker : a.brokerIds()) {
                            if (broker != state.nodeId()) {
                                throw new TopicException(Errors.INVALID_REPLICA_ASSIGNMENT,
                                        "Unknown broker id " + broker + " in the replica assignment");
                            }
                        }
                    }
                }
                state.topics().addPartitions(t.name(), t.count(), body.validateOnly());
                result.setErrorCode(Errors.NONE.code()).setErrorMessage(null);
            } catch (TopicException e) {
                result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
            response.results().add(result);
        }
        request.respond(response);
    }
}

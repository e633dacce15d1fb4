package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.InitProducerIdRequestData;
import dev.skiff.protocol.message.InitProducerIdResponseData;

/**
 * InitProducerId (key 22), versions 0-5 (6 is still unstable in Kafka 4.4).
 *
 * <p>An idempotent producer gets a fresh producer id with epoch 0, as Kafka's coordinator gives a
 * non-transactional producer; ids are never reused, restarts included. Transactional ids are not
 * supported and get TRANSACTIONAL_ID_AUTHORIZATION_FAILED, a fatal error that names the cause.
 */
public final class InitProducerIdHandler extends VersionedHandler {
    private final BrokerState state;

    public InitProducerIdHandler(BrokerState state) {
        super(ApiKeys.INIT_PRODUCER_ID, 0, 5);
        this.state = state;
    }

    @Override
    public void handle(RequestContext request) {
        final InitProducerIdRequestData body = (InitProducerIdRequestData) request.body();
        final InitProducerIdResponseData response = new InitProducerIdResponseData();
        if (body.transactionalId() != null) {
            request.respond(response.setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                    .setProducerId(-1).setProducerEpoch((short) -1));
            return;
        }
        request.respond(response.setErrorCode(Errors.NONE.code())
                .setProducerId(state.producerIds().nextProducerId())
                .setProducerEpoch((short) 0));
    }
}

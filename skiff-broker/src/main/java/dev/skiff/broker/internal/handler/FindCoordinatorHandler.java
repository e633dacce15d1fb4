package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.FindCoordinatorRequestData;
import dev.skiff.protocol.message.FindCoordinatorResponseData;

/**
 * FindCoordinator (key 10), versions 0-6; v4+ carries a batch of keys.
 *
 * <p>This node coordinates every group (key type 0). Transactions are not supported, so a transaction
 * coordinator (key type 1) is answered with TRANSACTIONAL_ID_AUTHORIZATION_FAILED, the fatal error Skiff
 * gives transactional producers everywhere (a retriable error would only make them spin until
 * max.block.ms). Share groups (key type 2) get INVALID_REQUEST. An empty group id gets INVALID_GROUP_ID.
 */
public final class FindCoordinatorHandler extends VersionedHandler {
    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    private final BrokerState state;

    public FindCoordinatorHandler(BrokerState state) {
        super(ApiKeys.FIND_COORDINATOR, 0, 6);
        this.state = state;
    }

    @Override
    public void handle(RequestContext request) {
        final FindCoordinatorRequestData body = (FindCoordinatorRequestData) request.body();
        final short version = request.version();
        final byte keyType = version >= 1 ? body.keyType() : GROUP;
        final FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (version >= 4) {
            for (String key : body.coordinatorKeys()) {
                final Errors error = check(keyType, key);
                final FindCoordinatorResponseData.Coordinator c = new FindCoordinatorResponseData.Coordinator()
                        .setKey(key);
                if (error == Errors.NONE) {
                    c.setNodeId(state.nodeId()).setHost(state.advertisedHost()).setPort(state.advertisedPort())
                            .setErrorCode(Errors.NONE.code());
                } else {
                    c.setNodeId(-1).setHost("").setPort(-1).setErrorCode(error.code()).setErrorMessage(message(error));
                }
                response.coordinators().add(c);
            }
            request.respond(response);
            return;
        }
        final Errors error = check(keyType, body.key());
        if (error == Errors.NONE) {
            response.setErrorCode(Errors.NONE.code()).setNodeId(state.nodeId()).setHost(state.advertisedHost())
                    .setPort(state.advertisedPort());
        } else {
            response.setErrorCode(error.code()).setNodeId(-1).setHost("").setPort(-1);
            if (version >= 1) {
                response.setErrorMessage(message(error));
            }
        }
        request.respond(response);
    }

    private static Errors check(byte keyType, String key) {
        if (keyType == TRANSACTION) {
            return Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        if (keyType != GROUP) {
            return Errors.INVALID_REQUEST;
        }
        return key == null || key.isEmpty() ? Errors.INVALID_GROUP_ID : Errors.NONE;
    }

    private static String message(Errors error) {
        if (error == Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED) {
            return "Skiff does not support transactions";
        }
        return error == Errors.INVALID_REQUEST ? "Unsupported coordinator key type" : error.message();
    }
}

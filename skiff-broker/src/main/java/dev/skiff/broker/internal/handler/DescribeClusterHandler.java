package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.DescribeClusterRequestData;
import dev.skiff.protocol.message.DescribeClusterResponseData;

/**
 * DescribeCluster (key 60), versions 0-2: one broker, which is also the controller. Asking for
 * controller endpoints (endpoint type 2) gets the same node, since this broker answers controller
 * requests too.
 */
public final class DescribeClusterHandler extends VersionedHandler {
    private static final int ALL_CLUSTER_OPERATIONS = (1 << 5) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10)
            | (1 << 11) | (1 << 12);

    private final BrokerState state;

    public DescribeClusterHandler(BrokerState state) {
        super(ApiKeys.DESCRIBE_CLUSTER, 0, 2);
        this.state = state;
    }

    @Override
    public void handle(RequestContext request) {
        final DescribeClusterRequestData body = (DescribeClusterRequestData) request.body();
        final DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setErrorCode(Errors.NONE.code())
                .setErrorMessage(null)
                .setClusterId(state.clusterId())
                .setControllerId(state.nodeId())
                .setClusterAuthorizedOperations(body.includeClusterAuthorizedOperations()
                        ? ALL_CLUSTER_OPERATIONS : Integer.MIN_VALUE);
        if (request.version() >= 1) {
            response.setEndpointType(body.endpointType());
        }
        response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(state.nodeId())
                .setHost(state.advertisedHost())
                .setPort(state.advertisedPort())
                .setRack(null)
                .setIsFenced(false));
        request.respond(response);
    }
}

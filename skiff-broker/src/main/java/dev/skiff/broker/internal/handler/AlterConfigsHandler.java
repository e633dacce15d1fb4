package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.cluster.TopicException;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.AlterConfigsRequestData;
import dev.skiff.protocol.message.AlterConfigsResponseData;
import dev.skiff.protocol.message.ApiKeys;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AlterConfigs (key 33), versions 0-2: the legacy, non-incremental form. The given configs replace
 * all of a topic's overrides (keys not listed return to their defaults), as in Kafka. Broker
 * resources get INVALID_REQUEST.
 */
public final class AlterConfigsHandler extends VersionedHandler {
    private final BrokerState state;

    public AlterConfigsHandler(BrokerState state) {
        super(ApiKeys.ALTER_CONFIGS, 0, 2);
        this.state = state;
    }

    @Override
    public void handle(RequestContext request) {
        final AlterConfigsRequestData body = (AlterConfigsRequestData) request.body();
        final AlterConfigsResponseData response = new AlterConfigsResponseData();
        for (AlterConfigsRequestData.AlterConfigsResource r : body.resources()) {
            final AlterConfigsResponseData.AlterConfigsResourceResponse result =
                    new AlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(r.resourceType())
                            .setResourceName(r.resourceName())
                            .setErrorCode(Errors.NONE.code())
                            .setErrorMessage(null);
            try {
                if (r.resourceType() != DescribeConfigsHandler.RESOURCE_TOPIC) {
                    throw new TopicException(Errors.INVALID_REQUEST, "Skiff alters TOPIC configurations only; broker "
                            + "settings are static: set them in server.properties or with --set and restart");
                }
                final Map<String, String> overrides = new LinkedHashMap<>();
                for (AlterConfigsRequestData.AlterableConfig c : r.configs()) {
                    overrides.put(c.name(), c.value());
                }
                state.topics().replaceConfigs(r.resourceName(), overrides, body.validateOnly());
            } catch (TopicException e) {
                result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
            response.responses().add(result);
        }
        request.respond(response);
    }
}

package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.cluster.Topic;
import dev.skiff.broker.internal.cluster.TopicConfigs;
import dev.skiff.broker.internal.cluster.TopicException;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.IncrementalAlterConfigsRequestData;
import dev.skiff.protocol.message.IncrementalAlterConfigsResponseData;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IncrementalAlterConfigs (key 44), versions 0-1: SET and DELETE of topic configuration overrides.
 *
 * <p>Changes are validated as a whole, persisted in the topic descriptor and applied to the topic's
 * logs at once (segment size, roll, retention take effect from the next append or retention run).
 * APPEND and SUBTRACT apply to list-valued keys only, and Skiff's topic keys hold single values, so
 * they get INVALID_CONFIG. Broker resources get INVALID_REQUEST: the broker's own settings are
 * static (server.properties and --set).
 */
public final class IncrementalAlterConfigsHandler extends VersionedHandler {
    static final byte OP_SET = 0;
    static final byte OP_DELETE = 1;

    private final BrokerState state;

    public IncrementalAlterConfigsHandler(BrokerState state) {
        super(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1);
        this.state = state;
    }

    @Override
    public void handle(RequestContext request) {
        final IncrementalAlterConfigsRequestData body = (IncrementalAlterConfigsRequestData) request.body();
        final IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource r : body.resources()) {
            final IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse result =
                    new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(r.resourceType())
                            .setResourceName(r.resourceName())
                            .setErrorCode(Errors.NONE.code())
                            .setErrorMessage(null);
            try {
                alter(r, body.validateOnly());
            } catch (TopicException e) {
                result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
            response.responses().add(result);
        }
        request.respond(response);
    }

    private void alter(IncrementalAlterConfigsRequestData.AlterConfigsResource r, boolean validateOnly) {
        if (r.resourceType() != DescribeConfigsHandler.RESOURCE_TOPIC) {
            throw new TopicException(Errors.INVALID_REQUEST, "Skiff alters TOPIC configurations only; broker "
                    + "settings are static: set them in server.properties or with --set and restart");
        }
        final Topic topic = state.topics().topic(r.resourceName());
        if (topic == null) {
            throw new TopicException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + r.resourceName() + " does not exist");
        }
        final Map<String, String> overrides = new LinkedHashMap<>(topic.configOverrides());
        for (IncrementalAlterConfigsRequestData.AlterableConfig c : r.configs()) {
            if (TopicConfigs.entry(c.name()) == null) {
                throw new TopicException(Errors.INVALID_CONFIG, "Unknown topic config name: " + c.name());
            }
            switch (c.configOperation()) {
                case OP_SET:
                    overrides.put(c.name(), c.value());
                    break;
                case OP_DELETE:
                    overrides.remove(c.name());
                    break;
                default:
                    throw new TopicException(Errors.INVALID_CONFIG, "Config operation " + c.configOperation()
                            + " (APPEND/SUBTRACT) applies to list-valued configs; " + c.name() + " holds one value");
            }
        }
        state.topics().replaceConfigs(topic.name(), overrides, validateOnly);
    }
}

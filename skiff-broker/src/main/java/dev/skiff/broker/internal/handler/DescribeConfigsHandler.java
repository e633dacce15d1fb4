package dev.skiff.broker.internal.handler;

import dev.skiff.broker.BrokerConfig;
import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.ConfigKey;
import dev.skiff.broker.internal.cluster.Topic;
import dev.skiff.broker.internal.cluster.TopicConfigs;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.DescribeConfigsRequestData;
import dev.skiff.protocol.message.DescribeConfigsResponseData;
import java.util.List;
import java.util.Map;

/**
 * DescribeConfigs (key 32), versions 1-4.
 *
 * <p>Topics (resource type 2) list every topic key with its effective value and where it comes from
 * (topic override, broker setting or default), with the broker synonym when asked. The broker
 * (type 4, name = node id or empty for cluster defaults) lists the keys Skiff reads. Other resource
 * types get INVALID_REQUEST.
 */
public final class DescribeConfigsHandler extends VersionedHandler {
    static final byte RESOURCE_TOPIC = 2;
    static final byte RESOURCE_BROKER = 4;

    private final BrokerState state;

    public DescribeConfigsHandler(BrokerState state) {
        super(ApiKeys.DESCRIBE_CONFIGS, 1, 4);
        this.state = state;
    }

    @Override
    public void handle(RequestContext request) {
        final DescribeConfigsRequestData body = (DescribeConfigsRequestData) request.body();
        final DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource r : body.resources()) {
            final DescribeConfigsResponseData.DescribeConfigsResult result = new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setResourceType(r.resourceType())
                    .setResourceName(r.resourceName())
                    .setErrorCode(Errors.NONE.code())
                    .setErrorMessage(null);
            if (r.resourceType() == RESOURCE_TOPIC) {
                describeTopic(r, body, result);
            } else if (r.resourceType() == RESOURCE_BROKER) {
                describeBroker(r, body, result);
            } else {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Skiff describes TOPIC and BROKER resources only, not type " + r.resourceType());
            }
            response.results().add(result);
        }
        request.respond(response);
    }

    private static boolean wanted(DescribeConfigsRequestData.DescribeConfigsResource r, String name) {
        return r.configurationKeys() == null || r.configurationKeys().contains(name);
    }

    private void describeTopic(DescribeConfigsRequestData.DescribeConfigsResource r, DescribeConfigsRequestData body,
                               DescribeConfigsResponseData.DescribeConfigsResult result) {
        final Topic topic = state.topics().topic(r.resourceName());
        if (topic == null) {
            result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                    .setErrorMessage("Topic " + r.resourceName() + " does not exist");
            return;
        }
        final Map<String, String> overrides = topic.configOverrides();
        final Map<String, String> effective = TopicConfigs.effective(state.config(), overrides);
        for (TopicConfigs.Entry e : TopicConfigs.ENTRIES) {
            final String name = e.key().name();
            if (!wanted(r, name)) {
                continue;
            }
            final TopicConfigs.Source source = TopicConfigs.sourceOf(e, state.config(), overrides);
            final DescribeConfigsResponseData.DescribeConfigsResourceResult c = entry(name, effective.get(name),
                    ConfigSources.code(source), e.key(), body);
            if (body.includeSynonyms()) {
                if (source == TopicConfigs.Source.TOPIC) {
                    c.synonyms().add(new DescribeConfigsResponseData.DescribeConfigsSynonym()
                            .setName(name).setValue(overrides.get(name)).setSource(ConfigSources.DYNAMIC_TOPIC_CONFIG));
                }
                if (e.brokerKey() != null && state.config().isSet(e.brokerKey())) {
                    c.synonyms().add(new DescribeConfigsResponseData.DescribeConfigsSynonym()
                            .setName(e.brokerKey()).setValue(state.config().valueAsString(e.brokerKey()))
                            .setSource(ConfigSources.STATIC_BROKER_CONFIG));
                }
                if (e.brokerKey() != null) {
                    c.synonyms().add(new DescribeConfigsResponseData.DescribeConfigsSynonym()
                            .setName(e.brokerKey()).setValue(effective.get(name)).setSource(ConfigSources.DEFAULT_CONFIG));
                }
            }
            result.configs().add(c);
        }
    }

    private void describeBroker(DescribeConfigsRequestData.DescribeConfigsResource r, DescribeConfigsRequestData body,
                                DescribeConfigsResponseData.DescribeConfigsResult result) {
        final String name = r.resourceName();
        if (!name.isEmpty() && !name.equals(Integer.toString(state.nodeId()))) {
            result.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("Unexpected broker id, expected " + state.nodeId() + " or empty string, but received "
                            + name);
            return;
        }
        final BrokerConfig config = state.config();
        for (ConfigKey key : BrokerConfig.KEYS) {
            if (!wanted(r, key.name())) {
                continue;
            }
            final byte source = config.isSet(key.name()) ? ConfigSources.STATIC_BROKER_CONFIG : ConfigSources.DEFAULT_CONFIG;
            result.configs().add(entry(key.name(), config.valueAsString(key.name()), source, key, body).setReadOnly(true));
        }
    }

    private static DescribeConfigsResponseData.DescribeConfigsResourceResult entry(String name, String value, byte source,
            ConfigKey key, DescribeConfigsRequestData body) {
        return new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                .setName(name)
                .setValue(value)
                .setReadOnly(false)
                .setConfigSource(source)
                .setIsSensitive(false)
                .setSynonyms(new java.util.ArrayList<>())
                .setConfigType(configType(key))
                .setDocumentation(body.includeDocumentation() ? key.doc() : null);
    }

    private static byte configType(ConfigKey key) {
        switch (key.type()) {
            case BOOLEAN:
                return 1;
            case STRING:
                return 2;
            case INT:
                return 3;
            case LONG:
                return 5;
            case LIST:
                return 7;
            default:
                return 0;
        }
    }

    static List<String> resourceTypes() {
        return List.of("TOPIC", "BROKER");
    }
}

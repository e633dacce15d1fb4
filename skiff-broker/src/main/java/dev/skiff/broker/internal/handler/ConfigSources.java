package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.cluster.TopicConfigs;

/** Kafka's DescribeConfigs config source codes. */
final class ConfigSources {
    static final byte DYNAMIC_TOPIC_CONFIG = 1;
    static final byte STATIC_BROKER_CONFIG = 4;
    static final byte DEFAULT_CONFIG = 5;

    private ConfigSources() {
    }

    static byte code(TopicConfigs.Source source) {
        switch (source) {
            case TOPIC:
                return DYNAMIC_TOPIC_CONFIG;
            case BROKER:
                return STATIC_BROKER_CONFIG;
            default:
                return DEFAULT_CONFIG;
        }
    }
}

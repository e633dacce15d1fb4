package dev.skiff.broker.internal;

import dev.skiff.broker.BrokerConfig;
import dev.skiff.broker.internal.cluster.ProducerIdManager;
import dev.skiff.broker.internal.cluster.TopicRegistry;
import java.time.Clock;

/**
 * What request handlers share: configuration, the topic registry, producer ids, identity and clock.
 * Set up by the broker before its listener opens; immutable afterwards except for the advertised
 * port, which is known only once the listener is bound.
 */
public final class BrokerState {
    private final BrokerConfig config;
    private final TopicRegistry topics;
    private final ProducerIdManager producerIds;
    private final String clusterId;
    private final Clock clock;
    private volatile String advertisedHost;
    private volatile int advertisedPort;

    public BrokerState(BrokerConfig config, TopicRegistry topics, ProducerIdManager producerIds, String clusterId,
                       Clock clock) {
        this.config = config;
        this.topics = topics;
        this.producerIds = producerIds;
        this.clusterId = clusterId;
        this.clock = clock;
    }

    public BrokerConfig config() {
        return config;
    }

    public TopicRegistry topics() {
        return topics;
    }

    public ProducerIdManager producerIds() {
        return producerIds;
    }

    public String clusterId() {
        return clusterId;
    }

    public int nodeId() {
        return config.nodeId();
    }

    public Clock clock() {
        return clock;
    }

    public String advertisedHost() {
        return advertisedHost;
    }

    public int advertisedPort() {
        return advertisedPort;
    }

    public void advertise(String host, int port) {
        this.advertisedHost = host;
        this.advertisedPort = port;
    }
}

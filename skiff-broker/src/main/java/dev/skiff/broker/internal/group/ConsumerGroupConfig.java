package dev.skiff.broker.internal.group;

import dev.skiff.broker.BrokerConfig;
import java.util.List;

/**
 * Settings of the KIP-848 consumer group protocol ({@code group.protocol=consumer}), with Kafka's key names.
 *
 * @param enabled             whether {@code group.coordinator.rebalance.protocols} lists "consumer"
 * @param heartbeatIntervalMs group.consumer.heartbeat.interval.ms: the interval members are told to use
 * @param sessionTimeoutMs    group.consumer.session.timeout.ms: a member silent this long is removed
 * @param assignors           group.consumer.assignors: server assignor names; the first is the default
 */
public record ConsumerGroupConfig(boolean enabled, int heartbeatIntervalMs, int sessionTimeoutMs,
                                  List<String> assignors) {

    /** Kafka's defaults: enabled, 5 s heartbeats, 45 s sessions, uniform then range. */
    public static ConsumerGroupConfig defaults() {
        return new ConsumerGroupConfig(true, 5_000, 45_000, List.of(UniformAssignor.NAME, RangeAssignor.NAME));
    }

    /** The settings of a broker configuration. */
    public static ConsumerGroupConfig from(BrokerConfig config) {
        return new ConsumerGroupConfig(config.groupCoordinatorRebalanceProtocols().contains("consumer"),
                config.groupConsumerHeartbeatIntervalMs(), config.groupConsumerSessionTimeoutMs(),
                config.groupConsumerAssignors());
    }

    public ConsumerGroupConfig {
        assignors = List.copyOf(assignors);
        if (assignors.isEmpty()) {
            throw new IllegalArgumentException("at least one server assignor is needed");
        }
    }
}

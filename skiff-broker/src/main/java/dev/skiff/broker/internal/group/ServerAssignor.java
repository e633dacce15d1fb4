package dev.skiff.broker.internal.group;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A KIP-848 server-side assignor: computes a consumer group's target assignment from its members'
 * subscriptions and the subscribed topics' partitions. Runs on the coordinator thread; implementations
 * are stateless and deterministic (the same input gives the same output).
 */
interface ServerAssignor {
    /** One subscribed topic as the assignor sees it. */
    record Topic(UUID id, String name, int partitions) {
    }

    /** The name members ask for in ConsumerGroupHeartbeat's ServerAssignor ("uniform", "range"). */
    String name();

    /**
     * @param subscriptions member id to the topic names it subscribes to, in member order
     * @param topics        subscribed topics that exist, by name
     * @param previous      the previous target assignment (member id to partitions), for stickiness
     * @return member id to its target partitions; every member of {@code subscriptions} is present
     */
    Map<String, Map<UUID, Set<Integer>>> assign(Map<String, Set<String>> subscriptions, Map<String, Topic> topics,
                                               Map<String, Map<UUID, Set<Integer>>> previous);

    /** The assignor named {@code name} (Kafka's short names or class names), or null. */
    static ServerAssignor named(String name) {
        if (name == null) {
            return null;
        }
        switch (name) {
            case UniformAssignor.NAME:
            case "org.apache.kafka.coordinator.group.assignor.UniformAssignor":
                return new UniformAssignor();
            case RangeAssignor.NAME:
            case "org.apache.kafka.coordinator.group.assignor.RangeAssignor":
                return new RangeAssignor();
            default:
                return null;
        }
    }
}

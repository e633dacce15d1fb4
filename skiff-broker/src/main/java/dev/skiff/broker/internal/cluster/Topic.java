package dev.skiff.broker.internal.cluster;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A topic as the broker serves it: name, stable id, partitions and configuration overrides.
 * Immutable; adding partitions replaces the instance in the {@link TopicRegistry}.
 */
public record Topic(String name, UUID id, List<Partition> partitions, Map<String, String> configOverrides) {

    public Topic {
        partitions = List.copyOf(partitions);
        configOverrides = Map.copyOf(configOverrides);
    }

    /** The partition with this index, or null. */
    public Partition partition(int index) {
        return index >= 0 && index < partitions.size() ? partitions.get(index) : null;
    }
}

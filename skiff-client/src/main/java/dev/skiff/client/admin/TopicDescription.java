package dev.skiff.client.admin;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A topic as {@link SkiffAdmin#describeTopic} found it.
 *
 * @param name       the topic name
 * @param topicId    the topic id, or null when the broker does not report ids
 * @param partitions every partition, by index
 * @param configs    every topic configuration key the broker reported, sorted by name (empty when the
 *                   broker does not answer DescribeConfigs)
 */
public record TopicDescription(String name, UUID topicId, List<PartitionInfo> partitions,
                               Map<String, ConfigValue> configs) {
}

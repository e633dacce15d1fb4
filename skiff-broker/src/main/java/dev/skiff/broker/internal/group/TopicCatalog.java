package dev.skiff.broker.internal.group;

import java.util.UUID;

/** What the coordinator needs to know about topics; the broker backs it with its topic registry. */
public interface TopicCatalog {
    /** Partitions of {@code topic}, or -1 when it does not exist. */
    int partitionCount(String topic);

    /** The id of {@code topic}, or null when it does not exist. */
    UUID topicId(String topic);

    /** The name of the topic with {@code id}, or null when there is none. */
    String topicName(UUID id);
}

package dev.skiff.client;

import java.util.Objects;

/**
 * A partition of a topic, as the admin helper and the consumer name it. Printed the way Kafka's tools
 * print it: {@code topic-partition}.
 *
 * @param topic     the topic name, not null
 * @param partition the partition index, from 0
 */
public record TopicPartition(String topic, int partition) {
    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, got " + partition + " for topic " + topic);
        }
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}

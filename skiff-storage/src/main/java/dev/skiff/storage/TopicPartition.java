package dev.skiff.storage;

import java.util.Objects;

/**
 * A topic name and partition number: the identity of one partition log.
 *
 * <p>{@link #toString()} is {@code topic-partition}, which is also the name of the log's directory, as in
 * Kafka. Topic names may themselves contain {@code -}; the partition is always the text after the last one.
 *
 * @param topic     topic name, never null or empty
 * @param partition partition number, never negative
 */
public record TopicPartition(String topic, int partition) {

    /** Checks the components; topic names are validated further when a log is created. */
    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic name is empty");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative: " + partition);
        }
    }

    /** {@code topic-partition}, the log directory's name. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}

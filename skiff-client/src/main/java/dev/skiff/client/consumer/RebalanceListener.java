package dev.skiff.client.consumer;

import dev.skiff.client.TopicPartition;

import java.util.Collection;

/**
 * Told when a {@link GroupConsumer}'s partitions change, on the thread that calls
 * {@link GroupConsumer#poll}. The group protocol is eager: every rebalance first revokes all partitions,
 * then assigns the new set.
 */
public interface RebalanceListener {
    /** A listener that does nothing. */
    RebalanceListener NONE = new RebalanceListener() {
    };

    /**
     * These partitions are about to go to the group for reassignment; with enable.auto.commit their
     * positions have just been committed. Commit here what auto-commit does not cover.
     */
    default void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    }

    /** These partitions are now this member's; positions start from the committed offsets. */
    default void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    }
}

package dev.skiff.client.consumer;

import dev.skiff.client.TopicPartition;

import java.util.Collection;

/**
 * Told when a {@link GroupConsumer}'s partitions change, on the thread that calls
 * {@link GroupConsumer#poll}.
 *
 * <p>With an eager protocol (range, roundrobin, or a list that includes them) every rebalance first revokes
 * all partitions, then assigns the new set. With partition.assignment.strategy=cooperative-sticky a
 * rebalance is incremental: only the partitions that move are revoked (and the member rejoins so the group
 * can hand them on), only new ones are assigned, and the retained ones are read throughout.
 */
public interface RebalanceListener {
    /** A listener that does nothing. */
    RebalanceListener NONE = new RebalanceListener() {
    };

    /**
     * These partitions are about to go to another member; with enable.auto.commit their positions have just
     * been committed. Commit here what auto-commit does not cover: no other member reads them before this
     * returns.
     */
    default void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    }

    /**
     * These partitions are now this member's; positions start from the committed offsets. Under the
     * cooperative protocol only the newly added ones are listed (possibly none).
     */
    default void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    }

    /**
     * The coordinator dropped this member (its session expired, it missed a rebalance or max.poll.interval.ms
     * passed), so these partitions may already belong to another member and their offsets can no longer be
     * committed. Called instead of {@link #onPartitionsRevoked}; by default it calls that method, as Kafka's
     * ConsumerRebalanceListener does.
     */
    default void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }
}

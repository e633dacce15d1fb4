package dev.skiff.client.producer.internal;

import dev.skiff.client.internal.TopicInfo;
import dev.skiff.protocol.Errors;

import java.util.ArrayDeque;
import java.util.function.IntUnaryOperator;

/**
 * Where records of one topic go: its last known partitions, the records waiting for them, and the
 * sticky partitioner state. Guarded by this object's monitor; lock order is route, then partition
 * queue.
 *
 * <p>The per-partition {@link TopicPartition}s and the two lookups the sticky partitioner needs are made
 * once per topic, not per record: placing a record allocates nothing here.
 */
final class TopicRoute {
    final String topic;
    final ArrayDeque<PendingRecord> pending = new ArrayDeque<>();
    final StickyPartitioner sticky;
    /** Partition -> leader id (-1 = none) from {@link #info}; caller holds the route's lock. */
    final IntUnaryOperator leaderOf;
    /** Partition -> batches queued in the accumulator, for adaptive partitioning. */
    final IntUnaryOperator queueSize;
    /** Null until the first metadata answer that mentions the topic. */
    TopicInfo info;
    /** When the oldest pending record started waiting (nanoTime), for max.block.ms. */
    long waitingSinceNanos;
    private TopicPartition[] partitions = new TopicPartition[0];

    TopicRoute(String topic, int batchSize, boolean adaptive, RecordAccumulator accumulator) {
        this.topic = topic;
        this.sticky = new StickyPartitioner(batchSize, adaptive);
        this.leaderOf = p -> info == null ? -1 : info.leader(p);
        this.queueSize = p -> accumulator.queueSize(partition(p));
    }

    /** Whether new records can be placed directly (partitions known, none waiting before them). */
    boolean placeable() {
        return info != null && info.error() == Errors.NONE && info.partitionCount() > 0 && pending.isEmpty();
    }

    /** The (cached) TopicPartition of partition {@code p}; grows with the topic's partition count. */
    TopicPartition partition(int p) {
        if (p >= partitions.length) {
            final TopicPartition[] grown = new TopicPartition[Math.max(p + 1, info == null ? 0
                    : info.partitionCount())];
            System.arraycopy(partitions, 0, grown, 0, partitions.length);
            for (int i = partitions.length; i < grown.length; i++) {
                grown[i] = new TopicPartition(topic, i);
            }
            partitions = grown;
        }
        return partitions[p];
    }
}

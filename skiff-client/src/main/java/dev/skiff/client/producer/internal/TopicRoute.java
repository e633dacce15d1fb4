package dev.skiff.client.producer.internal;

import dev.skiff.client.internal.TopicInfo;

import java.util.ArrayDeque;

/**
 * Where records of one topic go: its last known partitions, the records waiting for them, and the
 * sticky partitioner state. Guarded by this object's monitor; lock order is route, then partition
 * queue.
 */
final class TopicRoute {
    final String topic;
    final ArrayDeque<PendingRecord> pending = new ArrayDeque<>();
    final StickyPartitioner sticky;
    /** Null until the first metadata answer that mentions the topic. */
    TopicInfo info;
    /** When the oldest pending record started waiting (nanoTime), for max.block.ms. */
    long waitingSinceNanos;

    TopicRoute(String topic, int batchSize, boolean adaptive) {
        this.topic = topic;
        this.sticky = new StickyPartitioner(batchSize, adaptive);
    }

    /** Whether new records can be placed directly (partitions known, none waiting before them). */
    boolean placeable() {
        return info != null && info.error() == dev.skiff.protocol.Errors.NONE && info.partitionCount() > 0
                && pending.isEmpty();
    }
}

package dev.skiff.client.producer.internal;

import java.util.ArrayDeque;

/**
 * The batches waiting for one partition, oldest first, and the partition's sender-side state.
 *
 * <p>{@link #deque} is guarded by this object's monitor (sending threads append, the sender drains).
 * The idempotence and in-flight fields are touched only by the sender thread.
 */
final class PartitionQueue {
    final TopicPartition tp;
    final ArrayDeque<ProducerBatch> deque = new ArrayDeque<>();
    /** Batches in the deque, readable without the lock (for adaptive partitioning). */
    volatile int size;

    // Sender thread only.
    /** Batches of this partition in requests not yet answered, in send order. */
    final ArrayDeque<ProducerBatch> inFlight = new ArrayDeque<>();
    int nextSequence;
    int lastAckedSequence = -1;

    PartitionQueue(TopicPartition tp) {
        this.tp = tp;
    }

    /** Puts a batch back for a retry, keeping retried batches in sequence order at the head. */
    void reenqueue(ProducerBatch batch) {
        synchronized (this) {
            if (batch.hasSequence()) {
                // Retried batches sit at the head in sequence order, ahead of never-sent ones.
                final ArrayDeque<ProducerBatch> head = new ArrayDeque<>();
                while (!deque.isEmpty()) {
                    final ProducerBatch b = deque.peekFirst();
                    if (b.hasSequence() && b.baseSequence < batch.baseSequence
                            && b.producerEpoch == batch.producerEpoch) {
                        head.addLast(deque.pollFirst());
                    } else {
                        break;
                    }
                }
                deque.addFirst(batch);
                while (!head.isEmpty()) {
                    deque.addFirst(head.pollLast());
                }
            } else {
                deque.addFirst(batch);
            }
            size = deque.size();
        }
    }
}

package dev.skiff.client.producer.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

/**
 * Kafka's uniform sticky partitioning for records without a key (KIP-794), for one topic: stay on one
 * partition until about batch.size bytes went to it, then move on. The next partition is drawn at
 * random, weighted so partitions with shorter queues (faster brokers) are more likely when adaptive
 * partitioning is on; partitions without a leader are skipped.
 *
 * <p>Not thread-safe: the caller holds its topic's lock.
 */
final class StickyPartitioner {
    private final int stickyBatchSize;
    private final boolean adaptive;
    private int current = -1;
    private int producedBytes;

    StickyPartitioner(int batchSize, boolean adaptive) {
        this.stickyBatchSize = Math.max(1, batchSize);
        this.adaptive = adaptive;
    }

    /**
     * The partition for the next keyless record.
     *
     * @param numPartitions partition count
     * @param leaderOf      partition -> leader id (-1 = none)
     * @param queueSize     partition -> batches waiting in the accumulator
     */
    int partition(int numPartitions, IntUnaryOperator leaderOf, IntUnaryOperator queueSize) {
        if (current < 0 || current >= numPartitions) {
            current = next(numPartitions, leaderOf, queueSize);
            producedBytes = 0;
        }
        return current;
    }

    /**
     * Counts {@code bytes} appended to {@code partition}; switches after about batch.size.
     *
     * @return true when this append moved the partitioner off {@code partition}: its open batch gets no more
     *     keyless records, so it is as large as it will get and should not wait for linger.ms
     */
    boolean onAppend(int partition, int bytes, int numPartitions, IntUnaryOperator leaderOf,
                     IntUnaryOperator queueSize) {
        if (partition != current) {
            return false;
        }
        producedBytes += bytes;
        if (producedBytes >= stickyBatchSize) {
            current = next(numPartitions, leaderOf, queueSize);
            producedBytes = 0;
            return current != partition;
        }
        return false;
    }

    private int next(int numPartitions, IntUnaryOperator leaderOf, IntUnaryOperator queueSize) {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        // Runs once per ~batch.size bytes, so a small array is fine; queues are read once so weights agree.
        final int[] queues = new int[numPartitions];
        int maxQueue = 0;
        int available = 0;
        for (int p = 0; p < numPartitions; p++) {
            if (leaderOf.applyAsInt(p) >= 0) {
                available++;
                queues[p] = queueSize.applyAsInt(p);
                maxQueue = Math.max(maxQueue, queues[p]);
            } else {
                queues[p] = -1;
            }
        }
        if (available == 0) {
            return random.nextInt(numPartitions);
        }
        // Weight maxQueue + 1 - queue: an idle partition is most likely, the longest queue least.
        long total = 0;
        for (int p = 0; p < numPartitions; p++) {
            if (queues[p] >= 0) {
                total += adaptive ? maxQueue + 1 - queues[p] : 1;
            }
        }
        long pick = random.nextLong(total);
        for (int p = 0; p < numPartitions; p++) {
            if (queues[p] >= 0) {
                pick -= adaptive ? maxQueue + 1 - queues[p] : 1;
                if (pick < 0) {
                    return p;
                }
            }
        }
        return numPartitions - 1;
    }
}

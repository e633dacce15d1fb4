package dev.skiff.client.producer.internal;

import dev.skiff.client.internal.TopicInfo;
import dev.skiff.client.producer.RecordMetadata;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.record.CompressionType;
import dev.skiff.protocol.record.Header;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordRouterTest {
    private static final Header[] NO_HEADERS = new Header[0];
    private static final int BATCH_SIZE = 4096;

    private final RecordAccumulator accumulator = new RecordAccumulator(new BufferPool(1 << 20, BATCH_SIZE),
            BATCH_SIZE, CompressionType.NONE);
    private final AtomicInteger wakeups = new AtomicInteger();
    private final RecordRouter router = new RecordRouter(accumulator, null, false, BATCH_SIZE, false,
            wakeups::incrementAndGet);

    private int append(byte[] key, byte[] value) {
        return router.append("t", null, null, null, key, value, NO_HEADERS, 1L, new CompletableFuture<RecordMetadata>(),
                null, 0L);
    }

    private void metadataArrives(int partitions) {
        final TopicInfo info = new TopicInfo("t", UUID.randomUUID(), Errors.NONE, new int[partitions]);
        for (TopicRoute route : router.routes()) {
            router.update(route, info, 0L);
        }
    }

    @Test
    void theBatchTheStickyPartitionerLeavesIsReadyWithoutWaitingForLinger() {
        append(null, new byte[100]);
        metadataArrives(4);
        int partitionWithBatch = -1;
        for (int i = 0; i < 2000 && partitionWithBatch < 0; i++) {
            append(null, new byte[100]);
            for (int p = 0; p < 4; p++) {
                final PartitionQueue q = accumulator.queue(new TopicPartition("t", p));
                synchronized (q) {
                    // One batch, yet ready: the partitioner moved on (a failed append would have opened a second).
                    if (q.deque.size() == 1 && q.deque.peekFirst().isFull()) {
                        partitionWithBatch = p;
                        assertThat(q.deque.peekFirst().sizeInBytes()).isLessThan(BATCH_SIZE);
                        assertThat(q.deque.peekFirst().sizeInBytes()).isGreaterThan(BATCH_SIZE * 3 / 4);
                    }
                }
            }
        }
        assertThat(partitionWithBatch).as("some partition's batch was completed by a sticky switch")
                .isNotNegative();
        assertThat(wakeups.get()).as("the sender was woken for the ready batch").isGreaterThanOrEqualTo(2);
    }

    @Test
    void keyedRecordsGoToTheirMurmur2PartitionThroughTheCachedTopicPartitions() {
        append("k".getBytes(), new byte[10]);
        metadataArrives(6);
        final byte[] key = "customer-42".getBytes();
        append(key, new byte[10]);
        final int expected = Murmur2.partitionForKey(key, 6);
        assertThat(accumulator.queueSize(new TopicPartition("t", expected))).isEqualTo(1);
    }

    @Test
    void recordsParkedUntilTheirReservationsFillBufferMemoryAreStillPlacedWhenMetadataArrives() {
        // Regression: every parked 1 KiB record reserved ~1.1 KB; once they covered buffer.memory, the first one
        // could never get its 16 KiB batch buffer and the producer stalled for good.
        final int batchSize = 16_384;
        final BufferPool pool = new BufferPool(64 * 1024, batchSize);
        final RecordAccumulator acc = new RecordAccumulator(pool, batchSize, CompressionType.NONE);
        final RecordRouter r = new RecordRouter(acc, null, false, batchSize, false, () -> { });
        int parked = 0;
        while (r.append("t", 0, null, null, null, new byte[1024], NO_HEADERS, 1L, new CompletableFuture<>(), null,
                0L) == RecordRouter.DONE) {
            parked++;
        }
        assertThat(parked).isGreaterThan(40);
        assertThat(pool.availableMemory()).isLessThan(batchSize);
        final TopicInfo info = new TopicInfo("t", UUID.randomUUID(), Errors.NONE, new int[1]);
        for (TopicRoute route : r.routes()) {
            r.update(route, info, 0L);
        }
        assertThat(acc.queueSize(new TopicPartition("t", 0))).as("batches placed").isGreaterThanOrEqualTo(1);
        // Send everything and fail what still waits: every byte of buffer.memory comes back, none twice.
        final PartitionQueue q = acc.queue(new TopicPartition("t", 0));
        while (!q.deque.isEmpty()) {
            acc.release(q.deque.pollFirst());
        }
        for (TopicRoute route : r.routes()) {
            r.failPending(route, new IllegalStateException("test"));
        }
        assertThat(pool.availableMemory()).isEqualTo(64 * 1024);
    }
}

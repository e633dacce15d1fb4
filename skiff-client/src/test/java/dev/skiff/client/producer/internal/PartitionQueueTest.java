package dev.skiff.client.producer.internal;

import dev.skiff.protocol.record.CompressionType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionQueueTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    private static ProducerBatch batch(int sequence) {
        final ProducerBatch b = new ProducerBatch(TP, ByteBuffer.allocate(1024), CompressionType.NONE, 0);
        b.tryAppend(1L, null, new byte[] {1}, null, new CompletableFuture<>(), null);
        if (sequence >= 0) {
            b.setProducerState(7, (short) 0, sequence);
        }
        return b;
    }

    @Test
    void retriedBatchesGoBackAtTheHeadInSequenceOrder() {
        final PartitionQueue q = new PartitionQueue(TP);
        final ProducerBatch fresh = batch(-1);
        q.deque.add(fresh);
        final ProducerBatch s2 = batch(2);
        final ProducerBatch s0 = batch(0);
        final ProducerBatch s1 = batch(1);
        // Answers may come back in any order; the queue must still send 0, 1, 2, then the fresh batch.
        q.reenqueue(s2);
        q.reenqueue(s0);
        q.reenqueue(s1);
        final List<Integer> order = new ArrayList<>();
        for (ProducerBatch b : q.deque) {
            order.add(b.baseSequence);
        }
        assertThat(order).containsExactly(0, 1, 2, -1);
        assertThat(q.size).isEqualTo(4);
    }

    @Test
    void patchingProducerStateAfterCloseKeepsTheBatchValid() {
        final ProducerBatch b = batch(-1);
        b.setProducerState(5, (short) 1, 10);
        b.close();
        b.setProducerState(6, (short) 2, 0);
        final dev.skiff.protocol.record.BatchHeader h = b.records().batches().next();
        assertThat(h.producerId()).isEqualTo(6);
        assertThat(h.producerEpoch()).isEqualTo((short) 2);
        assertThat(h.baseSequence()).isZero();
        assertThat(h.isCrcValid()).isTrue();
    }
}

package dev.skiff.client.producer.internal;

import java.util.Random;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionerTest {
    @Test
    void keyedPartitionMatchesKafkaFor100kRandomKeysAtSeveralPartitionCounts() {
        final Random random = new Random(42);
        final int[] counts = {1, 2, 3, 6, 7, 10, 12, 32, 100, 1000};
        for (int i = 0; i < 100_000; i++) {
            final byte[] key = new byte[random.nextInt(40)];
            random.nextBytes(key);
            assertThat(Murmur2.hash(key)).isEqualTo(Utils.murmur2(key));
            for (int n : counts) {
                assertThat(Murmur2.partitionForKey(key, n)).isEqualTo(BuiltInPartitioner.partitionForKey(key, n));
            }
        }
    }

    @Test
    void toPositiveClearsTheSignBitLikeKafka() {
        for (int v : new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThat(Murmur2.toPositive(v)).isEqualTo(Utils.toPositive(v));
        }
    }

    @Test
    void stickyPartitionStaysForAboutBatchSizeBytesThenMoves() {
        final StickyPartitioner sticky = new StickyPartitioner(1000, true);
        final int first = sticky.partition(6, p -> 0, p -> 0);
        for (int i = 0; i < 9; i++) {
            sticky.onAppend(first, 100, 6, p -> 0, p -> 0);
            assertThat(sticky.partition(6, p -> 0, p -> 0)).isEqualTo(first);
        }
        sticky.onAppend(first, 100, 6, p -> 0, p -> 0);
        // A switch happened: over many switches every partition gets used.
        final boolean[] seen = new boolean[6];
        for (int i = 0; i < 600; i++) {
            final int p = sticky.partition(6, x -> 0, x -> 0);
            seen[p] = true;
            sticky.onAppend(p, 1000, 6, x -> 0, x -> 0);
        }
        for (boolean s : seen) {
            assertThat(s).isTrue();
        }
    }

    @Test
    void stickySkipsPartitionsWithoutLeaderAndFavoursShortQueues() {
        final StickyPartitioner sticky = new StickyPartitioner(1, true);
        final int[] hits = new int[4];
        for (int i = 0; i < 20_000; i++) {
            final int p = sticky.partition(4, x -> x == 3 ? -1 : 0, x -> x == 0 ? 9 : 0);
            hits[p]++;
            sticky.onAppend(p, 10, 4, x -> x == 3 ? -1 : 0, x -> x == 0 ? 9 : 0);
        }
        assertThat(hits[3]).isZero();
        assertThat(hits[0]).isLessThan(hits[1] / 5);
        assertThat(hits[1]).isGreaterThan(5000);
        assertThat(hits[2]).isGreaterThan(5000);
    }
}

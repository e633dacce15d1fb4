package dev.skiff.client.producer.internal;

import dev.skiff.client.internal.TopicInfo;
import dev.skiff.client.producer.RecordMetadata;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.record.CompressionType;
import dev.skiff.protocol.record.Header;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Steps 5 and 6 of the send path without the network: place a serialized record (partition + append
 * into the partition's open batch, written in place in record batch v2 format). {@code -prof gc}'s
 * gc.alloc.rate.norm is the allocation per record.
 *
 * <p>Lives in the accumulator's package (in this bench-only module) because the drain it needs to keep
 * buffer.memory from filling up is the sender's package-private side. Each full batch is closed (as the
 * sender does before sending) and its buffer goes back to the pool, so the per-record figures include the
 * amortized cost of a batch (its object, its arrays, its close) but no network and no completion.
 *
 * <ul>
 *   <li>{@code accumulatorAppend}: RecordAccumulator.tryAppend to one partition, the innermost step.</li>
 *   <li>{@code routerAppendKeyed}: RecordRouter.append of a keyed record over 12 partitions, what
 *       {@code Producer.send} does after serializing (murmur2 + append).</li>
 *   <li>{@code routerAppendKeyless}: the same without a key (sticky uniform partitioner).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AccumulatorBenchmark {
    private static final int PARTITIONS = 12;
    private static final Header[] NO_HEADERS = new Header[0];

    @Param({"100", "1024"})
    public int valueSize;

    @Param({"none"})
    public String compression;

    private RecordAccumulator accumulator;
    private RecordRouter router;
    private TopicPartition tp;
    private PartitionQueue[] queues;
    private byte[][] keys;
    private byte[] value;
    private int next;
    /** One future for every record: never completed here, so it is shared rather than measured. */
    private final CompletableFuture<RecordMetadata> future = new CompletableFuture<>();

    @Setup(Level.Trial)
    public void setUp() {
        final int batchSize = 16_384;
        accumulator = new RecordAccumulator(new BufferPool(32L << 20, batchSize), batchSize,
                CompressionType.forName(compression));
        router = new RecordRouter(accumulator, null, false, batchSize, true, () -> { });
        tp = new TopicPartition("bench", 0);
        value = new byte[valueSize];
        keys = new byte[256][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ("customer-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        final int[] leaders = new int[PARTITIONS];
        final TopicInfo info = new TopicInfo("bench", UUID.randomUUID(), Errors.NONE, leaders);
        // The first record parks until "metadata" arrives, exactly as in the producer; then place it.
        router.append("bench", null, null, null, null, value, NO_HEADERS, 0L, future, null, 0L);
        for (TopicRoute route : router.routes()) {
            router.update(route, info, 0L);
        }
        queues = new PartitionQueue[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            queues[p] = accumulator.queue(new TopicPartition("bench", p));
        }
    }

    /** What the sender does with a full batch, minus the network: close it and give its buffer back. */
    private void drain() {
        for (PartitionQueue q : queues) {
            if (q.size > 1) {
                final ProducerBatch full;
                synchronized (q) {
                    full = q.deque.pollFirst();
                    q.size = q.deque.size();
                }
                full.close();
                accumulator.release(full);
            }
        }
    }

    @Benchmark
    public int accumulatorAppend() {
        final int r = accumulator.tryAppend(tp, 1_700_000_000_000L, keys[0], value, NO_HEADERS, future, null, 0L,
                0);
        if (r == RecordAccumulator.NEW_BATCH) {
            drain();
        }
        return r;
    }

    @Benchmark
    public int routerAppendKeyed() {
        next = (next + 1) & (keys.length - 1);
        final int r = router.append("bench", null, null, null, keys[next], value, NO_HEADERS, 1_700_000_000_000L,
                future, null, 0L);
        drain();
        return r;
    }

    @Benchmark
    public int routerAppendKeyless() {
        final int r = router.append("bench", null, null, null, null, value, NO_HEADERS, 1_700_000_000_000L,
                future, null, 0L);
        drain();
        return r;
    }
}

package dev.skiff.client.producer.internal;

import dev.skiff.client.producer.ProducerMetrics;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;

/**
 * Counters behind {@link ProducerMetrics}. Written by the sender thread, read by anyone.
 */
public final class ProducerStats {
    private final long startNanos = System.nanoTime();
    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder uncompressedBytes = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final Histogram latencyMicros = new Histogram(60_000_000L, 2);

    void recordRequest(List<ProducerBatch> sent) {
        requests.increment();
    }

    void recordLatency(long nanos) {
        synchronized (latencyMicros) {
            latencyMicros.recordValue(Math.min(60_000_000L, Math.max(0, nanos / 1000)));
        }
    }

    void recordSuccess(ProducerBatch b) {
        records.add(b.recordCount());
        bytes.add(b.sizeInBytes());
        uncompressedBytes.add(b.uncompressedBytes());
        batches.increment();
    }

    void recordError(int recordCount) {
        errors.add(recordCount);
    }

    void recordRetry() {
        retries.increment();
    }

    /** A consistent-enough snapshot (counters are read one after another). */
    public ProducerMetrics snapshot() {
        final long r = records.sum();
        final long b = bytes.sum();
        final long u = uncompressedBytes.sum();
        final long n = batches.sum();
        final double p50;
        final double p99;
        synchronized (latencyMicros) {
            p50 = latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(50) / 1000.0;
            p99 = latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(99) / 1000.0;
        }
        final double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        return new ProducerMetrics(r, b, n, errors.sum(), retries.sum(), requests.sum(), n == 0 ? 0 : (double) b / n,
                u == 0 ? 1.0 : (double) b / u, p50, p99, r / seconds, b / seconds);
    }
}

package dev.skiff.cli.internal;

import dev.skiff.client.producer.Callback;
import dev.skiff.client.producer.RecordMetadata;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts what a producing command sent and what came back: acknowledged records and bytes, errors (and
 * the first one, to print), records per partition, and send-to-ack latency.
 *
 * <p>Callbacks run on the producer's sender thread while the progress thread reads the counters, hence
 * atomics; they are uncontended, so this costs little next to the send itself.
 */
public final class SendTracker {
    private final LatencyRecorder latency = new LatencyRecorder();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong ackedBytes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();
    private final Map<Integer, AtomicLong> perPartition = new ConcurrentHashMap<>();
    private volatile Timeline timeline;

    /** Also records each latency per second of the run (for charts). */
    public SendTracker timeline(Timeline t) {
        this.timeline = t;
        return this;
    }

    /** A callback for one record sent at {@code sendNanos} ({@link System#nanoTime()}). */
    public Callback callback(long sendNanos) {
        return (metadata, exception) -> completed(sendNanos, metadata, exception);
    }

    /** Records the outcome of one send (what {@link #callback} does). */
    public void completed(long sendNanos, RecordMetadata metadata, Exception exception) {
        if (exception != null) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, exception);
            return;
        }
        final long micros = (System.nanoTime() - sendNanos) / 1000;
        latency.record(micros);
        final Timeline t = timeline;
        if (t != null) {
            t.record(micros);
        }
        acked.incrementAndGet();
        ackedBytes.addAndGet(Math.max(0, metadata.serializedKeySize()) + Math.max(0, metadata.serializedValueSize()));
        perPartition.computeIfAbsent(metadata.partition(), p -> new AtomicLong()).incrementAndGet();
    }

    public LatencyRecorder latency() {
        return latency;
    }

    /** Records acknowledged. */
    public long acked() {
        return acked.get();
    }

    /** Key and value bytes of acknowledged records (serialized, before compression). */
    public long ackedBytes() {
        return ackedBytes.get();
    }

    /** Records that failed. */
    public long errors() {
        return errors.get();
    }

    /** The first failure, or null. */
    public Exception firstError() {
        return firstError.get();
    }

    /** Acknowledged records per partition, sorted by partition. */
    public Map<Integer, Long> perPartition() {
        final Map<Integer, Long> m = new TreeMap<>();
        perPartition.forEach((p, n) -> m.put(p, n.get()));
        return m;
    }
}

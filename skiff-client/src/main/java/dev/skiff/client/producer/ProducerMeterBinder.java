package dev.skiff.client.producer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds a {@link Producer}'s {@link ProducerMetrics} to a Micrometer {@link MeterRegistry}.
 * Monotonic totals become function counters and the derived values become gauges; every meter reads a
 * fresh {@link Producer#metrics()} snapshot when the registry polls it, so nothing is pushed from the send
 * path. Micrometer is an optional dependency of skiff-client: only code that uses this class needs it.
 * <pre>
 * skiff.producer.records.sent            counter  records acknowledged
 * skiff.producer.bytes.sent              counter  batch bytes acknowledged (after compression)
 * skiff.producer.batches.sent            counter  batches acknowledged
 * skiff.producer.record.errors           counter  records that failed
 * skiff.producer.retries                 counter  batch retries
 * skiff.producer.requests                counter  Produce requests sent
 * skiff.producer.batch.size.avg          gauge    bytes per acknowledged batch
 * skiff.producer.compression.ratio       gauge    compressed / uncompressed bytes (1 = none)
 * skiff.producer.request.latency         gauge    ms, tagged quantile=0.5 and quantile=0.99
 * skiff.producer.records.per.second      gauge    lifetime average send rate
 * skiff.producer.bytes.per.second        gauge    lifetime average byte rate
 * </pre>
 * Meters hold the producer weakly (Micrometer's default), so binding does not keep a discarded producer
 * alive; after that they report NaN.
 */
public final class ProducerMeterBinder implements MeterBinder {
    private static final String PREFIX = "skiff.producer.";

    private final Producer<?, ?> producer;
    private final Iterable<Tag> tags;

    /** Binds {@code producer} with no extra tags. */
    public ProducerMeterBinder(final Producer<?, ?> producer) {
        this(producer, Tags.empty());
    }

    /** Binds {@code producer}, adding {@code tags} (for example a client id) to every meter. */
    public ProducerMeterBinder(final Producer<?, ?> producer, final Iterable<Tag> tags) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    @Override
    public void bindTo(final MeterRegistry registry) {
        counter(registry, "records.sent", "Records acknowledged by the broker", "records",
                p -> p.metrics().recordsSent());
        counter(registry, "bytes.sent", "Batch bytes acknowledged, as sent after compression", "bytes",
                p -> p.metrics().bytesSent());
        counter(registry, "batches.sent", "Record batches acknowledged by the broker", "batches",
                p -> p.metrics().batchesSent());
        counter(registry, "record.errors", "Records that failed to send", "records",
                p -> p.metrics().recordErrors());
        counter(registry, "retries", "Batch retries", "retries", p -> p.metrics().retries());
        counter(registry, "requests", "Produce requests sent", "requests", p -> p.metrics().requests());

        gauge(registry, "batch.size.avg", "Average bytes per acknowledged batch", "bytes", Tags.empty(),
                p -> p.metrics().averageBatchBytes());
        gauge(registry, "compression.ratio", "Compressed over uncompressed bytes of acknowledged batches", null,
                Tags.empty(), p -> p.metrics().compressionRatio());
        gauge(registry, "request.latency", "Produce request latency", "milliseconds", Tags.of("quantile", "0.5"),
                p -> p.metrics().requestLatencyP50Ms());
        gauge(registry, "request.latency", "Produce request latency", "milliseconds", Tags.of("quantile", "0.99"),
                p -> p.metrics().requestLatencyP99Ms());
        gauge(registry, "records.per.second", "Records acknowledged per second over the producer's lifetime",
                "records", Tags.empty(), p -> p.metrics().recordsPerSecond());
        gauge(registry, "bytes.per.second", "Bytes acknowledged per second over the producer's lifetime",
                "bytes", Tags.empty(), p -> p.metrics().bytesPerSecond());
    }

    private void counter(final MeterRegistry registry, final String name, final String description,
                         final String unit, final ToDoubleFunction<Producer<?, ?>> value) {
        FunctionCounter.builder(PREFIX + name, producer, value)
                .description(description)
                .baseUnit(unit)
                .tags(tags)
                .register(registry);
    }

    private void gauge(final MeterRegistry registry, final String name, final String description,
                       final String unit, final Tags extra, final ToDoubleFunction<Producer<?, ?>> value) {
        Gauge.builder(PREFIX + name, producer, value)
                .description(description)
                .baseUnit(unit)
                .tags(tags)
                .tags(extra)
                .register(registry);
    }
}

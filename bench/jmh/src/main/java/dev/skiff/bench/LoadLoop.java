package dev.skiff.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The load both drivers run: create the topic, send a warm-up, then send {@code --records} keyless values
 * of {@code --record-size} bytes from one thread, either flat out or paced at {@code --throughput}
 * records/s, and print one {@code RESULT} line.
 *
 * <p>Latency is from the moment a record was due (its slot in the pacing schedule; the send call when
 * unpaced) to its completion callback, so a producer that blocks the caller is charged for it rather than
 * hiding it (no coordinated omission). Throughput is measured records over the time from the first send
 * to the end of the final flush.
 */
final class LoadLoop {
    private LoadLoop() {
    }

    static void run(String client, DriverOptions o, ProducerAdapter producer) throws Exception {
        createTopic(o);
        final byte[] value = new byte[o.recordSize];
        // Random bytes, like kafka-producer-perf-test's payload: compression (if set) has little to gain.
        ThreadLocalRandom.current().nextBytes(value);
        if (o.warmupRecords > 0) {
            phase(o, producer, value, o.warmupRecords, new Histogram(TimeUnit.MINUTES.toMicros(10), 3));
        }
        final Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        final AtomicLong errors = new AtomicLong();
        final long start = System.nanoTime();
        final long failed = phase(o, producer, value, o.records, latency);
        final long elapsed = System.nanoTime() - start;
        errors.addAndGet(failed);
        final double seconds = elapsed / 1e9;
        final double rps = o.records / seconds;
        System.out.printf(Locale.ROOT, "RESULT client=%s records=%d record_size=%d throughput_target=%d seconds=%.3f "
                        + "rps=%.1f mbps=%.2f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f errors=%d%n",
                client, o.records, o.recordSize, o.throughput, seconds, rps, rps * o.recordSize / 1e6,
                ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(99)),
                ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()), errors.get());
        if (errors.get() > 0) {
            System.exit(1);
        }
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    /** Sends {@code count} records and flushes; returns the number that failed. */
    private static long phase(DriverOptions o, ProducerAdapter producer, byte[] value, long count,
                              Histogram latency) {
        final AtomicLong failed = new AtomicLong();
        final ProducerAdapter.Completion done = (startNanos, ok) -> {
            final long micros = (System.nanoTime() - startNanos) / 1000;
            synchronized (latency) {
                latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
            }
            if (!ok) {
                failed.incrementAndGet();
            }
        };
        final long begin = System.nanoTime();
        if (o.throughput <= 0) {
            for (long i = 0; i < count; i++) {
                producer.send(o.topic, value, System.nanoTime(), done);
            }
        } else {
            final double interval = 1e9 / o.throughput;
            long i = 0;
            while (i < count) {
                final long now = System.nanoTime();
                // Send every record whose slot has come, each stamped with its slot, not with "now".
                while (i < count) {
                    final long due = begin + (long) (i * interval);
                    if (due > now) {
                        LockSupport.parkNanos(due - now);
                        break;
                    }
                    producer.send(o.topic, value, due, done);
                    i++;
                }
            }
        }
        producer.flush();
        return failed.get();
    }

    private static void createTopic(DriverOptions o) throws Exception {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(o.topic, o.partitions, (short) 1))).all()
                    .get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Settings as a map for either producer. */
    static Map<String, Object> settings(DriverOptions o) {
        return new java.util.LinkedHashMap<>(o.settings);
    }
}

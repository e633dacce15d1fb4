package dev.skiff.cli;

import dev.skiff.cli.internal.Checksum;
import dev.skiff.cli.internal.Progress;
import dev.skiff.cli.internal.StopSignal;
import dev.skiff.cli.internal.Terminal;
import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.ConsumerConfig;
import dev.skiff.client.consumer.ConsumerRecord;
import dev.skiff.client.consumer.SimpleConsumer;
import dev.skiff.client.serde.ByteArrayDeserializer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's last step: reads back, from the offsets the topic had before sending, exactly the records the
 * producer had acknowledged, and checks three things: the count per partition, that offsets are contiguous
 * (nothing lost or duplicated inside a partition), and the checksum of every key and value byte.
 */
final class DemoVerifier {
    /** Give up when no record arrives for this long: something is missing. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(15);

    private DemoVerifier() {
    }

    /**
     * The verdict.
     *
     * @param ok    every check passed
     * @param lines what to print
     */
    record Result(boolean ok, List<String> lines) {
    }

    static Result verify(String bootstrap, String topic, Map<Integer, Long> startOffsets, Map<Integer, Long> sent,
                         Checksum sentChecksum, Terminal terminal, PrintWriter out, String indent, StopSignal stop) {
        final Map<TopicPartition, Long> next = new HashMap<>();
        final Map<TopicPartition, Long> end = new HashMap<>();
        long expected = 0;
        for (Map.Entry<Integer, Long> e : sent.entrySet()) {
            final TopicPartition tp = new TopicPartition(topic, e.getKey());
            final long start = startOffsets.getOrDefault(e.getKey(), 0L);
            next.put(tp, start);
            end.put(tp, start + e.getValue());
            expected += e.getValue();
        }
        final Checksum read = new Checksum();
        final long[] counts = {0, 0};
        final List<String> problems = new ArrayList<>();
        final ConsumerConfig config = ConsumerConfig.builder().bootstrapServers(bootstrap).maxPollRecords(10_000)
                .maxPartitionFetchBytes(4 << 20).build();
        final long t0 = System.nanoTime();
        final Progress bar = Progress.builder(terminal, out).label(indent).records(() -> counts[0], expected)
                .bytes(() -> counts[1]).plainInterval(Duration.ofSeconds(1)).start();
        try (bar; SimpleConsumer<byte[], byte[]> consumer = SimpleConsumer.create(config,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(new ArrayList<>(next.keySet()));
            next.forEach(consumer::seek);
            long lastProgress = System.nanoTime();
            final List<TopicPartition> open = new ArrayList<>(next.keySet());
            open.removeIf(tp -> next.get(tp) >= end.get(tp));
            while (!open.isEmpty() && !stop.stopped() && problems.size() < 5) {
                final List<ConsumerRecord<byte[], byte[]>> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    final TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    final Long want = next.get(tp);
                    if (want == null || r.offset() >= end.get(tp)) {
                        continue; // written by someone else, after our records
                    }
                    if (r.offset() != want) {
                        problems.add(String.format(Locale.ROOT, "%s: expected offset %d, read %d", tp, want,
                                r.offset()));
                    }
                    next.put(tp, r.offset() + 1);
                    read.add(r.key());
                    read.add(r.value());
                    counts[0]++;
                    counts[1] += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
                }
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                    open.removeIf(tp -> next.get(tp) >= end.get(tp));
                } else if (System.nanoTime() - lastProgress > STALL_NANOS) {
                    problems.add("no records for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s; still open: "
                            + open);
                    break;
                }
            }
        }
        final long nanos = System.nanoTime() - t0;
        final List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "read %s records back in %s: %s records/s",
                Terminal.count(counts[0]), Terminal.seconds(nanos),
                Terminal.count(Math.round(Terminal.perSecond(counts[0], nanos)))));
        final boolean countOk = counts[0] == expected;
        final boolean offsetsOk = problems.isEmpty() && countOk;
        final boolean checksumOk = read.value() == sentChecksum.value();
        lines.add(verdict(terminal, countOk, "count", Terminal.count(counts[0]) + " of " + Terminal.count(expected)));
        lines.add(verdict(terminal, offsetsOk, "offsets", "contiguous in each of " + next.size() + " partitions"));
        lines.add(verdict(terminal, checksumOk, "checksum", "CRC-32C of every key and value: read "
                + read.hex() + ", sent " + sentChecksum.hex()));
        for (String p : problems) {
            lines.add("  " + p);
        }
        return new Result(countOk && offsetsOk && checksumOk && !stop.stopped(), lines);
    }

    private static String verdict(Terminal terminal, boolean ok, String what, String detail) {
        return (ok ? terminal.green("OK  ") : terminal.red("FAIL")) + " " + what + ": " + detail;
    }
}

package dev.skiff.cli;

import dev.skiff.cli.internal.RecordFormatter;
import dev.skiff.cli.internal.StopSignal;
import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.ConsumerConfig;
import dev.skiff.client.consumer.ConsumerRecord;
import dev.skiff.client.consumer.GroupConsumer;
import dev.skiff.client.serde.ByteArrayDeserializer;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code skiff consume --group G}: reads as a member of group G, printing records and committing after
 * each batch exactly what was printed, so a consumer stopped by {@code --max} or Ctrl-C and started again
 * continues after the last printed record, and several started together share the partitions.
 */
final class GroupConsumeLoop {
    private final ConsumerConfig config;
    private final String topic;
    private final Long max;
    private final RecordFormatter formatter;
    private volatile GroupConsumer<byte[], byte[]> running;

    GroupConsumeLoop(ConsumerConfig config, String topic, Long max, RecordFormatter formatter) {
        this.config = config;
        this.topic = topic;
        this.max = max;
        this.formatter = formatter;
    }

    /** Consumes until {@code --max} or a stop signal; returns the number of records printed. */
    long run(PrintWriter out, StopSignal stop) {
        long count = 0;
        try (GroupConsumer<byte[], byte[]> consumer = GroupConsumer.create(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            running = consumer;
            consumer.subscribe(List.of(topic));
            final Map<TopicPartition, Long> printed = new HashMap<>();
            while (!stop.stopped() && (max == null || count < max)) {
                printed.clear();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.print(formatter.format(r));
                    printed.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                    if (++count == (max == null ? -1 : max)) {
                        break;
                    }
                }
                out.flush();
                if (!printed.isEmpty()) {
                    consumer.commitSync(printed);
                }
            }
        } finally {
            running = null;
        }
        return count;
    }

    void wakeup() {
        final GroupConsumer<byte[], byte[]> c = running;
        if (c != null) {
            c.wakeup();
        }
    }
}

package dev.skiff.it.producer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Test oracle for the producer ITs: kafka-clients' own Admin creates topics and its KafkaConsumer reads
 * back what the Skiff producer wrote, so a bug shared by Skiff's producer and Skiff's decoder cannot hide.
 */
final class ReadBack {
    /** How long one admin call or one read-back may take before the test fails. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private ReadBack() {
    }

    static Admin admin(String bootstrap) {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        return Admin.create(props);
    }

    static void createTopic(Admin admin, NewTopic topic) throws Exception {
        admin.createTopics(List.of(topic)).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads every record of the topic's partitions from the beginning up to the end offsets as of this
     * call (assign, no group), in offset order per partition; fails when the end is not reached in time.
     */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, int partitions) {
        return readAll(bootstrap, topic, partitions, 0);
    }

    /**
     * Like {@link #readAll(String, String, int)}, but keeps reading (with fresh end offsets) until at least
     * {@code expected} records arrived: acks=0 writes may still be on their way when the reader starts.
     */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, int partitions,
                                                        int expected) {
        final Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            final List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps, CALL_TIMEOUT);
            final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            final long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
            while (!reachedEnd(consumer, ends) || records.size() < expected) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("KafkaConsumer did not reach end offsets " + ends + " within "
                            + CALL_TIMEOUT + "; read " + records.size() + " of " + expected + " records");
                }
                if (reachedEnd(consumer, ends)) {
                    ends = consumer.endOffsets(tps, CALL_TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /**
     * Returns once every partition's leader answers ListOffsets, i.e. serves requests. A new topic's
     * leader may still refuse writes for a moment; acks=0 writes refused then are lost without a trace
     * (the producer gets no answer), so acks=0 tests wait for this first.
     */
    static void awaitLeadersServing(String bootstrap, String topic, int partitions) {
        final Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            final List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.endOffsets(tps, CALL_TIMEOUT);
        }
    }

    /**
     * Asserts the values (decimal send indexes) are exactly 0..n-1, each once, and that within every
     * partition they increase in offset order, i.e. the producer kept send order per partition.
     */
    static void assertExactlyOnceInOrder(List<ConsumerRecord<byte[], byte[]>> records, int n) {
        final BitSet seen = new BitSet(n);
        final Map<Integer, Integer> lastPerPartition = new HashMap<>();
        int duplicates = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            final int v = Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8));
            if (v < 0 || v >= n) {
                throw new AssertionError("unexpected value " + v + " at " + r.topic() + "-" + r.partition() + "@"
                        + r.offset());
            }
            if (seen.get(v)) {
                duplicates++;
            }
            seen.set(v);
            final Integer prev = lastPerPartition.put(r.partition(), v);
            if (prev != null && v <= prev) {
                throw new AssertionError("partition " + r.partition() + " holds record " + v + " at offset "
                        + r.offset() + " after record " + prev + ": send order not kept");
            }
        }
        if (duplicates > 0 || seen.cardinality() != n) {
            throw new AssertionError("expected each of " + n + " records exactly once; read " + records.size()
                    + ", distinct " + seen.cardinality() + ", duplicates " + duplicates + ", first missing "
                    + seen.nextClearBit(0));
        }
    }

    /** Every thread's stack, for the message of a wait that timed out (a hung producer shows where). */
    static String threadDump() {
        final StringBuilder sb = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            sb.append('\n').append(e.getKey().getName()).append(" (").append(e.getKey().getState()).append(')');
            for (StackTraceElement frame : e.getValue()) {
                sb.append("\n    at ").append(frame);
            }
        }
        return sb.toString();
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), CALL_TIMEOUT) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}

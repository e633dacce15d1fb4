package dev.skiff.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Checks of what the broker answers about a log against the records a test has read back from it, so
 * indexes rebuilt after a restart or a crash are compared with the data itself rather than with a guess.
 */
final class LogAssertions {
    /** Timestamps looked up per partition; spread evenly over the partition's records. */
    private static final int LOOKUPS_PER_PARTITION = 25;

    private LogAssertions() {
    }

    /**
     * For sample timestamps of each partition (each record's own, one past it, and one past the last),
     * {@code offsetsForTimes} must return the earliest offset whose timestamp is at or after the target,
     * which is Kafka's definition, computed here by scanning the records.
     */
    static void assertOffsetsForTimesMatchRecords(KafkaConsumer<String, String> consumer,
                                                  List<ConsumerRecord<String, String>> records) {
        final Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<TopicPartition, List<ConsumerRecord<String, String>>> e : byPartition.entrySet()) {
            final TopicPartition tp = e.getKey();
            final List<ConsumerRecord<String, String>> log = e.getValue();
            final List<Long> targets = new ArrayList<>();
            final int step = Math.max(1, log.size() / LOOKUPS_PER_PARTITION);
            long maxTimestamp = Long.MIN_VALUE;
            for (int i = 0; i < log.size(); i++) {
                maxTimestamp = Math.max(maxTimestamp, log.get(i).timestamp());
                if (i % step == 0) {
                    targets.add(log.get(i).timestamp());
                    targets.add(log.get(i).timestamp() + 1);
                }
            }
            targets.add(maxTimestamp + 1);
            for (long target : targets) {
                final OffsetAndTimestamp got = consumer.offsetsForTimes(Map.of(tp, target), Brokers.CALL_TIMEOUT)
                        .get(tp);
                final ConsumerRecord<String, String> expected = firstAtOrAfter(log, target);
                if (expected == null) {
                    assertThat(got).as("offsetsForTimes(%s, %d): no record is that late", tp, target).isNull();
                } else {
                    assertThat(got).as("offsetsForTimes(%s, %d)", tp, target).isNotNull();
                    assertThat(got.offset()).as("offsetsForTimes(%s, %d).offset", tp, target)
                            .isEqualTo(expected.offset());
                    assertThat(got.timestamp()).as("offsetsForTimes(%s, %d).timestamp", tp, target)
                            .isEqualTo(expected.timestamp());
                }
            }
        }
    }

    private static ConsumerRecord<String, String> firstAtOrAfter(List<ConsumerRecord<String, String>> log,
                                                                 long target) {
        for (ConsumerRecord<String, String> r : log) {
            if (r.timestamp() >= target) {
                return r;
            }
        }
        return null;
    }
}

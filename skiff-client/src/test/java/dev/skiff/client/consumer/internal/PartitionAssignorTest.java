package dev.skiff.client.consumer.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Our range and round-robin assignments equal kafka-clients' for the same members and topics. */
class PartitionAssignorTest {
    private static final Map<String, List<String>> SUBSCRIPTIONS = Map.of(
            "m-c", List.of("orders", "payments"),
            "m-a", List.of("orders"),
            "m-b", List.of("orders", "payments", "audit"));
    private static final Map<String, Integer> COUNTS = Map.of("orders", 7, "payments", 2, "audit", 1);

    @ParameterizedTest
    @ValueSource(strings = {"range", "roundrobin"})
    void assignmentMatchesKafkaClients(String strategy) {
        final Map<String, Subscription> subs = new HashMap<>();
        SUBSCRIPTIONS.forEach((m, topics) -> subs.put(m, new Subscription(topics)));
        final Map<String, List<TopicPartition>> kafka = "range".equals(strategy)
                ? new RangeAssignor().assign(COUNTS, subs) : new RoundRobinAssignor().assign(COUNTS, subs);

        final Map<String, Map<String, List<Integer>>> ours = PartitionAssignor.assign(strategy, SUBSCRIPTIONS,
                COUNTS);
        assertThat(flatten(ours)).isEqualTo(normalize(kafka));
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "roundrobin"})
    void sixPartitionsSplitEvenlyAndUnknownTopicsAreSkipped(String strategy) {
        final Map<String, Map<String, List<Integer>>> ours = PartitionAssignor.assign(strategy,
                Map.of("a", List.of("t", "missing"), "b", List.of("t")), Map.of("t", 6));
        assertThat(ours.get("a").get("t")).hasSize(3);
        assertThat(ours.get("b").get("t")).hasSize(3);
        assertThat(ours.get("a")).doesNotContainKey("missing");
    }

    private static Map<String, List<String>> flatten(Map<String, Map<String, List<Integer>>> byMember) {
        final Map<String, List<String>> out = new TreeMap<>();
        byMember.forEach((m, topics) -> {
            final List<String> list = new ArrayList<>();
            topics.forEach((t, ps) -> ps.forEach(p -> list.add(t + "-" + p)));
            list.sort(null);
            out.put(m, list);
        });
        return out;
    }

    private static Map<String, List<String>> normalize(Map<String, List<TopicPartition>> kafka) {
        final Map<String, List<String>> out = new TreeMap<>();
        kafka.forEach((m, tps) -> {
            final List<String> list = new ArrayList<>();
            tps.forEach(tp -> list.add(tp.topic() + "-" + tp.partition()));
            list.sort(null);
            out.put(m, list);
        });
        return out;
    }
}

package dev.skiff.it.group;

import static dev.skiff.it.group.GroupClients.CALL_TIMEOUT;
import static dev.skiff.it.group.GroupClients.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.Broker;
import dev.skiff.broker.BrokerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** kafka-clients 4.4 KafkaConsumer with group.protocol=consumer (KIP-848) against Skiff's coordinator. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConsumerProtocolGroupIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Broker broker;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() {
        final List<AutoCloseable> all = new ArrayList<>(resources);
        all.add(broker);
        GroupClients.closeAll(all.toArray(new AutoCloseable[0]));
    }

    /** A broker with short consumer-group heartbeats so reconciliation finishes quickly. */
    private static Broker start(Path dir, int port) {
        return Broker.start(BrokerConfig.builder().logDir(dir).listener("127.0.0.1", port)
                .set(BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "500")
                .set(BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS, "10000")
                .build());
    }

    /** A KafkaConsumer using the KIP-848 protocol (which refuses session.timeout.ms and heartbeat settings). */
    private KafkaConsumer<String, String> consumer(String group) {
        final Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 30_000);
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return new KafkaConsumer<>(props);
    }

    private GroupMemberRunner member(String name, String group, String topic, Map<String, List<String>> deliveries) {
        final GroupMemberRunner runner = new GroupMemberRunner(name, consumer(group), topic, deliveries);
        resources.add(0, runner);
        return runner;
    }


    @Test
    void threeMembersShareTwelvePartitionsAndAfterOneLeavesNoRecordIsLostOrDeliveredTwice() throws Exception {
        broker = start(dir, 0);
        ShareAndLeaveScenario.run(broker, "g848", WAIT,
                (name, deliveries) -> member(name, "g848", "shared", deliveries));
    }

    @Test
    void committedOffsetsSurviveABrokerRestartAndALiveMemberCarriesOnWithItsEpoch() throws Exception {
        broker = start(dir, 0);
        final int port = broker.port();
        GroupClients.createTopic(broker, "durable", 3);
        GroupClients.produce(broker, "durable", 3, 0, 90);
        try (KafkaConsumer<String, String> c = consumer("resume")) {
            c.subscribe(List.of("durable"));
            int seen = 0;
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (seen < 90 && System.nanoTime() < deadline) {
                seen += c.poll(Duration.ofMillis(200)).count();
            }
            assertThat(seen).isEqualTo(90);
            c.commitSync(CALL_TIMEOUT);
        }
        broker.close();
        broker = start(dir, port);
        GroupClients.produce(broker, "durable", 3, 90, 30);
        final List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer("resume")) {
            c.subscribe(List.of("durable"));
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (values.size() < 30 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        final List<String> expected = new ArrayList<>();
        for (int i = 90; i < 120; i++) {
            expected.add("v-" + i);
        }
        assertThat(values).containsExactlyInAnyOrderElementsOf(expected);

        // A member that stays up while the broker restarts carries on: its consumer group is persisted in the
        // group log, so after the restart its heartbeats and its commits with its member epoch succeed without
        // a rejoin, and keeps its member id and epoch.
        final Set<String> seen = new HashSet<>();
        int commitFailures = 0;
        try (KafkaConsumer<String, String> live = consumer("across-restart")) {
            live.subscribe(List.of("durable"));
            commitFailures += pollUntil(live, seen, 120);
            final String memberId = live.groupMetadata().memberId();
            final int memberEpoch = live.groupMetadata().generationId();
            assertThat(memberEpoch).isPositive();
            broker.close();
            broker = start(dir, port);
            GroupClients.produce(broker, "durable", 3, 120, 30);
            commitFailures += pollUntil(live, seen, 150);
            await(WAIT, "the member reaches the end and commits", () -> {
                live.poll(Duration.ofMillis(100));
                if (live.assignment().size() != 3) {
                    return false;
                }
                for (TopicPartition tp : live.assignment()) {
                    if (live.position(tp, CALL_TIMEOUT) != 50) {
                        return false;
                    }
                }
                live.commitSync(CALL_TIMEOUT);
                return true;
            });
            assertThat(commitFailures).as("commits that failed across the restart").isZero();
            assertThat(live.groupMetadata().memberId()).as("the same member").isEqualTo(memberId);
            assertThat(live.groupMetadata().generationId()).as("the same member epoch").isEqualTo(memberEpoch);
        }
        try (Admin admin = GroupClients.admin(broker)) {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("across-restart")
                    .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(committed.values()).extracting(OffsetAndMetadata::offset).containsOnly(50L);
        }
    }

    /** Polls and commits until {@code seen} holds {@code count} values; returns the commits that failed. */
    private static int pollUntil(KafkaConsumer<String, String> c, Set<String> seen, int count) throws Exception {
        final int[] failures = {0};
        await(WAIT, count + " distinct records consumed", () -> {
            boolean any = false;
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                seen.add(r.value());
                any = true;
            }
            if (any) {
                try {
                    c.commitSync(CALL_TIMEOUT);
                } catch (CommitFailedException e) {
                    failures[0]++;
                }
            }
            return seen.size() >= count;
        });
        return failures[0];
    }

    @Test
    void adminDescribesAndListsTheGroupAsAConsumerGroup() throws Exception {
        broker = start(dir, 0);
        GroupClients.createTopic(broker, "described", 4);
        final Map<String, List<String>> deliveries = GroupMemberRunner.newDeliveries();
        final GroupMemberRunner a = member("a", "g-describe", "described", deliveries);
        final GroupMemberRunner b = member("b", "g-describe", "described", deliveries);
        await(WAIT, "two members with two partitions each", () -> a.assignment().size() == 2
                && b.assignment().size() == 2);
        try (Admin admin = GroupClients.admin(broker)) {
            final ConsumerGroupDescription d = admin.describeConsumerGroups(List.of("g-describe"))
                    .describedGroups().get("g-describe").get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(d.type()).isEqualTo(GroupType.CONSUMER);
            assertThat(d.members()).hasSize(2);
            assertThat(d.members()).allSatisfy(m -> assertThat(m.assignment().topicPartitions()).hasSize(2));
            await(WAIT, "a stable group", () -> admin.describeConsumerGroups(List.of("g-describe"))
                    .describedGroups().get("g-describe").get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .groupState() == GroupState.STABLE);
            final List<GroupListing> listed = new ArrayList<>(admin.listGroups().all()
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            assertThat(listed).filteredOn(l -> l.groupId().equals("g-describe")).singleElement()
                    .satisfies(l -> assertThat(l.type()).contains(GroupType.CONSUMER));
        }
    }

    @Test
    void aClassicConsumerCannotJoinAConsumerGroup() throws Exception {
        broker = start(dir, 0);
        GroupClients.createTopic(broker, "mixed", 2);
        final Map<String, List<String>> deliveries = GroupMemberRunner.newDeliveries();
        final GroupMemberRunner modern = member("modern", "g-mixed", "mixed", deliveries);
        await(WAIT, "the consumer-protocol member owns both partitions", () -> modern.assignment().size() == 2);
        try (KafkaConsumer<String, String> classic = GroupClients.consumer(broker, "g-mixed", Map.of())) {
            classic.subscribe(List.of("mixed"));
            Throwable thrown = null;
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (thrown == null && System.nanoTime() < deadline) {
                try {
                    classic.poll(Duration.ofMillis(200));
                } catch (RuntimeException e) {
                    thrown = e;
                }
            }
            assertThat(thrown).isInstanceOf(InconsistentGroupProtocolException.class);
        }
        assertThat(modern.assignment()).hasSize(2);
    }
}

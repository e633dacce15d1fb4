package dev.skiff.it.group;

import static dev.skiff.it.group.GroupClients.CALL_TIMEOUT;
import static dev.skiff.it.group.GroupClients.await;
import static dev.skiff.it.group.ShareAndLeaveScenario.union;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.Broker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** kafka-clients 4.4 KafkaConsumer groups against Skiff's group coordinator. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConsumerGroupIT {
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

    private GroupMemberRunner member(String name, String group, String topic, Map<String, List<String>> deliveries,
                                     Map<String, Object> overrides) {
        final GroupMemberRunner runner = new GroupMemberRunner(name, GroupClients.consumer(broker, group, overrides),
                topic, deliveries);
        resources.add(0, runner);
        return runner;
    }


    @Test
    void threeMembersShareTwelvePartitionsAndAfterOneLeavesNoRecordIsLostOrDeliveredTwice() throws Exception {
        broker = GroupClients.start(dir, 3_000);
        ShareAndLeaveScenario.run(broker, "g1", WAIT,
                (name, deliveries) -> member(name, "g1", "shared", deliveries, Map.of()));
    }

    @Test
    void committedOffsetsSurviveABrokerRestart() throws Exception {
        broker = GroupClients.start(dir, 0);
        GroupClients.createTopic(broker, "durable", 3);
        GroupClients.produce(broker, "durable", 3, 0, 90);
        try (KafkaConsumer<String, String> c = GroupClients.consumer(broker, "resume", Map.of())) {
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
        broker = GroupClients.start(dir, 0);
        GroupClients.produce(broker, "durable", 3, 90, 30);
        try (Admin admin = GroupClients.admin(broker)) {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("resume")
                    .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(committed.values()).extracting(OffsetAndMetadata::offset).containsOnly(30L);
        }
        final List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> c = GroupClients.consumer(broker, "resume", Map.of())) {
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
    }

    @Test
    void staticMemberRejoinsWithoutARebalance() throws Exception {
        broker = GroupClients.start(dir, 3_000);
        GroupClients.createTopic(broker, "static", 4);
        final Map<String, List<String>> deliveries = GroupMemberRunner.newDeliveries();
        final GroupMemberRunner a = member("a", "g-static", "static", deliveries,
                Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-a"));
        final GroupMemberRunner b = member("b", "g-static", "static", deliveries,
                Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b"));
        await(WAIT, "a stable group of two", () -> a.assignment().size() == 2 && b.assignment().size() == 2);
        final int generation = a.generation();
        final int aRebalances = a.rebalances.get();
        final Set<TopicPartition> bPartitions = b.assignment();

        b.close();
        resources.remove(b);
        final GroupMemberRunner b2 = member("b2", "g-static", "static", deliveries,
                Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b"));
        await(WAIT, "the restarted static member gets its partitions back", () -> b2.assignment().size() == 2);
        assertThat(b2.assignment()).isEqualTo(bPartitions);
        assertThat(b2.generation()).isEqualTo(generation);
        GroupClients.produce(broker, "static", 4, 0, 40);
        await(WAIT, "records consumed", () -> deliveries.size() == 40);
        assertThat(a.generation()).isEqualTo(generation);
        assertThat(a.rebalances.get()).isEqualTo(aRebalances);
        assertThat(a.revoked).isEmpty();
    }

    @Test
    void cooperativeStickyMembersGiveUpOnlyThePartitionsThatMove() throws Exception {
        broker = GroupClients.start(dir, 0);
        GroupClients.createTopic(broker, "coop", 12);
        GroupClients.produce(broker, "coop", 12, 0, 600);
        final Map<String, Object> cooperative = Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName());
        final Map<String, List<String>> deliveries = GroupMemberRunner.newDeliveries();
        final GroupMemberRunner m1 = member("m1", "g-coop", "coop", deliveries, cooperative);
        await(WAIT, "m1 owns everything", () -> m1.assignment().size() == 12);
        final GroupMemberRunner m2 = member("m2", "g-coop", "coop", deliveries, cooperative);
        await(WAIT, "two members with six each", () -> m1.assignment().size() == 6 && m2.assignment().size() == 6
                && union(m1, m2).size() == 12);
        final GroupMemberRunner m3 = member("m3", "g-coop", "coop", deliveries, cooperative);
        await(WAIT, "three members with four each", () -> m1.assignment().size() == 4
                && m2.assignment().size() == 4 && m3.assignment().size() == 4 && union(m1, m2, m3).size() == 12);
        // Incremental: m1 gave up 6 then 2, m2 gave up 2; nobody revoked a partition it kept.
        assertThat(m1.revoked).hasSize(8).doesNotContainAnyElementsOf(m1.assignment());
        assertThat(m2.revoked).hasSize(2).doesNotContainAnyElementsOf(m2.assignment());
        assertThat(m3.revoked).isEmpty();
        GroupClients.produce(broker, "coop", 12, 600, 600);
        await(WAIT, "all records consumed", () -> deliveries.size() == 1200);
        assertThat(GroupMemberRunner.duplicates(deliveries)).isEmpty();
    }

    @Test
    void adminListsDescribesAndDeletesGroups() throws Exception {
        broker = GroupClients.start(dir, 0);
        GroupClients.createTopic(broker, "admin", 2);
        GroupClients.produce(broker, "admin", 2, 0, 10);
        final Map<String, List<String>> deliveries = GroupMemberRunner.newDeliveries();
        final GroupMemberRunner m = member("m", "g-admin", "admin", deliveries, Map.of());
        await(WAIT, "records consumed", () -> deliveries.size() == 10);
        try (Admin admin = GroupClients.admin(broker)) {
            final List<String> listed = admin.listGroups().all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .stream().map(GroupListing::groupId).toList();
            assertThat(listed).contains("g-admin");
            final ConsumerGroupDescription d = admin.describeConsumerGroups(List.of("g-admin")).all()
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get("g-admin");
            assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(d.partitionAssignor()).isEqualTo("range");
            assertThat(d.members()).singleElement().satisfies(member ->
                    assertThat(member.assignment().topicPartitions()).hasSize(2));
            m.close();
            resources.remove(m);
            admin.deleteConsumerGroups(List.of("g-admin")).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            final List<String> after = admin.listGroups().all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .stream().map(GroupListing::groupId).toList();
            assertThat(after).doesNotContain("g-admin");
        }
    }
}

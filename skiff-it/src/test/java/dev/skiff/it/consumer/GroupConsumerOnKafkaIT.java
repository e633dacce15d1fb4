package dev.skiff.it.consumer;

import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.ConsumerConfig;
import dev.skiff.client.producer.Producer;
import dev.skiff.client.producer.ProducerConfig;
import dev.skiff.client.producer.ProducerRecord;
import dev.skiff.client.producer.RecordMetadata;
import dev.skiff.client.serde.StringSerializer;
import dev.skiff.kafkapeer.KafkaCluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Skiff's {@link dev.skiff.client.consumer.GroupConsumer}, unchanged, in consumer groups coordinated by one
 * Apache Kafka 4.4 node (started from Maven Central jars by kafka-peer): eager members split and commit, a
 * new member resumes from the commits, a cooperative-sticky member joins without the others revoking what
 * they keep, a Skiff member and a kafka-clients KafkaConsumer share a cooperative group, and a static member
 * (group.instance.id) restarts without a rebalance. Kafka's AdminClient is the judge of what the coordinator
 * holds; a shared delivery map is the judge of "every record exactly once". One cluster serves the class;
 * each test has its own topic and group.
 *
 * <p>The last two tests hand partitions over with commitSync() in onPartitionsRevoked instead of auto-commit,
 * as Kafka applications do; they are disabled until the client bugs their reasons name are fixed (run them
 * with {@code -Djunit.jupiter.conditions.deactivate=org.junit.*DisabledCondition}).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class GroupConsumerOnKafkaIT {
    private static final Duration AWAIT = Duration.ofSeconds(60);
    private static final long CALL_TIMEOUT_S = 30;

    private static KafkaCluster kafka;
    private static Admin admin;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<SkiffMember> members = new CopyOnWriteArrayList<>();
    private final SkiffMember.Deliveries deliveries = new SkiffMember.Deliveries();

    @BeforeAll
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    static void startKafka() {
        kafka = KafkaCluster.builder().nodes(1).start();
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        admin = Admin.create(props);
    }

    @AfterAll
    static void stopKafka() {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @AfterEach
    void stopMembers() throws InterruptedException {
        stop.set(true);
        AssertionError first = null;
        for (SkiffMember m : members) {
            try {
                m.close();
            } catch (AssertionError e) {
                first = first == null ? e : first;
            }
        }
        threads.shutdown();
        assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).as("test threads stopped").isTrue();
        if (first != null) {
            throw first;
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // 1. eager (default strategies): split, exactly once, commitSync, Kafka shows the commits, a new member resumes

    @Test
    void twoMembersSplitSixPartitionsCommitAndANewMemberResumesFromTheCommittedOffsets() throws Exception {
        final String topic = "eager-split";
        final String group = "g-eager-split";
        createTopic(topic, 6);
        final ConsumerConfig manual = config(group).enableAutoCommit(false).build();
        final SkiffMember a = start("a", manual, topic);
        final SkiffMember b = start("b", manual, topic);
        await(() -> split(6, a.assignment(), b.assignment()), "a 3/3 split between a and b");

        // Kafka agrees: one classic group, range (the first of "range, cooperative-sticky"), 3 partitions each.
        final ConsumerGroupDescription described = describe(group);
        assertThat(described.type()).isEqualTo(GroupType.CLASSIC);
        assertThat(described.groupState()).isEqualTo(GroupState.STABLE);
        assertThat(described.partitionAssignor()).isEqualTo("range");
        assertThat(assignmentsByMemberId(described)).isEqualTo(Map.of(a.memberId(), a.assignment(),
                b.memberId(), b.assignment()));

        produceWithSkiff(topic, 6, 0, 100);
        await(() -> deliveries.size() == 600, "all 600 records to be read");
        assertNoRecordReadTwice();
        assertThat(deliveries.perMember()).containsOnlyKeys("a", "b");
        assertThat(a.assignment()).containsAll(a.firstOffsets.keySet());
        assertThat(b.assignment()).containsAll(b.firstOffsets.keySet());

        final Map<TopicPartition, Long> ends = endOffsets(topic, 6);
        assertThat(ends.values()).containsOnly(100L);
        final Map<TopicPartition, Long> committed = new HashMap<>(a.commitSync().get(CALL_TIMEOUT_S,
                TimeUnit.SECONDS));
        committed.putAll(b.commitSync().get(CALL_TIMEOUT_S, TimeUnit.SECONDS));
        assertThat(committed).isEqualTo(ends);
        assertThat(committedOnKafka(group)).isEqualTo(ends);

        a.close();
        b.close();
        // Without auto-commit, closing commits nothing more (and nothing less).
        assertThat(committedOnKafka(group)).isEqualTo(ends);
        assertThat(describe(group).members()).isEmpty();

        produceWithSkiff(topic, 6, 100, 50);
        final SkiffMember c = start("c", manual, topic);
        await(() -> deliveries.size() == 900, "the new member to read the 300 new records");
        assertThat(c.assignment()).hasSize(6);
        assertThat(c.firstOffsets).as("where c started in each partition").isEqualTo(ends);
        assertNoRecordReadTwice();
        assertThat(deliveries.perMember()).containsEntry("c", 300);
        final Map<TopicPartition, Long> newEnds = endOffsets(topic, 6);
        assertThat(c.commitSync().get(CALL_TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo(newEnds);
        assertThat(committedOnKafka(group)).isEqualTo(newEnds);
    }

    // ----------------------------------------------------------------------------------------------------------
    // 2. cooperative-sticky: a fourth member joins while records flow; the others revoke only what moves

    @Test
    void aFourthCooperativeMemberTakesPartitionsWithoutTheOthersRevokingWhatTheyKeep() throws Exception {
        final String topic = "coop-join";
        final String group = "g-coop-join";
        createTopic(topic, 12);
        final ConsumerConfig cooperative = config(group).partitionAssignmentStrategy("cooperative-sticky").build();
        final SkiffMember a = start("a", cooperative, topic);
        final SkiffMember b = start("b", cooperative, topic);
        final SkiffMember c = start("c", cooperative, topic);
        final List<SkiffMember> old = List.of(a, b, c);
        await(() -> split(12, a.assignment(), b.assignment(), c.assignment()), "a 4/4/4 split");
        final ConsumerGroupDescription described = describe(group);
        assertThat(described.partitionAssignor()).isEqualTo("cooperative-sticky");
        assertThat(described.groupState()).isEqualTo(GroupState.STABLE);
        assertThat(described.members()).hasSize(3);
        final Map<String, Set<TopicPartition>> before = new HashMap<>();
        for (SkiffMember m : old) {
            before.put(m.name, Set.copyOf(m.assignment()));
            m.revoked.clear(); // forget the moves of the first joins
        }

        final Production production = new Production(topic, 12);
        await(() -> deliveries.size() >= 240, "records to flow to the three members");
        final SkiffMember d = start("d", cooperative, topic);
        await(() -> split(12, a.assignment(), b.assignment(), c.assignment(), d.assignment()), "a 3/3/3/3 split");
        final int producedAtSplit = production.acked();

        final Set<TopicPartition> moved = new HashSet<>();
        for (SkiffMember m : old) {
            final Set<TopicPartition> now = m.assignment();
            assertThat(before.get(m.name)).as("%s keeps only partitions it had", m.name).containsAll(now);
            assertThat(m.revoked).as("revoked by %s (had %s, has %s)", m.name, before.get(m.name), now)
                    .hasSize(1).doesNotContainAnyElementsOf(now);
            assertThat(before.get(m.name)).containsAll(m.revoked);
            assertThat(m.lost).as("lost by %s", m.name).isEmpty();
            moved.addAll(m.revoked);
        }
        assertThat(d.assignment()).isEqualTo(moved);
        assertThat(assignmentsByMemberId(describe(group))).isEqualTo(Map.of(a.memberId(), a.assignment(),
                b.memberId(), b.assignment(), c.memberId(), c.assignment(), d.memberId(), d.assignment()));

        await(() -> production.acked() >= producedAtSplit + 240, "records to keep flowing after the rebalance");
        final int total = production.finish();
        await(() -> deliveries.size() >= total, "all " + total + " records to be read");
        assertNoRecordReadTwice();
        assertThat(deliveries.size()).isEqualTo(total);
        assertThat(deliveries.perMember()).containsKeys("a", "b", "c", "d");
    }

    // ----------------------------------------------------------------------------------------------------------
    // 3. mixed: a Skiff member and a KafkaConsumer, both cooperative-sticky, whoever leads

    @Test
    void aSkiffMemberAndAKafkaConsumerShareACooperativeGroupWithoutDuplicates() throws Exception {
        final String topic = "coop-mixed";
        final String group = "g-coop-mixed";
        createTopic(topic, 6);
        final ConsumerConfig cooperative = config(group).partitionAssignmentStrategy("cooperative-sticky").build();
        // The Skiff member joins first, so it leads when the KafkaConsumer joins.
        final SkiffMember skiffA = start("skiff-a", cooperative, topic);
        await(() -> skiffA.assignment().size() == 6, "the Skiff member to own all six partitions");
        final Production production = new Production(topic, 6);
        final AtomicReference<Set<TopicPartition>> kafkaAssignment = new AtomicReference<>(Set.of());
        final List<TopicPartition> kafkaRevoked = new CopyOnWriteArrayList<>();
        final Future<?> kafkaMember = runKafkaConsumer(group, topic, kafkaAssignment, kafkaRevoked);
        await(() -> split(6, kafkaAssignment.get(), skiffA.assignment()), "a 3/3 split led by Skiff");
        assertThat(skiffA.revoked).as("what the Skiff member gave up").hasSize(3)
                .containsExactlyInAnyOrderElementsOf(kafkaAssignment.get());
        assertThat(describe(group).partitionAssignor()).isEqualTo("cooperative-sticky");

        // The Skiff member leaves: the KafkaConsumer takes all and then leads the join of a new Skiff member.
        skiffA.close();
        await(() -> kafkaAssignment.get().size() == 6, "the KafkaConsumer to own all six");
        assertThat(kafkaRevoked).isEmpty();
        final SkiffMember skiffB = start("skiff-b", cooperative, topic);
        await(() -> split(6, kafkaAssignment.get(), skiffB.assignment()), "a 3/3 split led by the KafkaConsumer");
        assertThat(kafkaRevoked).hasSize(3).containsExactlyInAnyOrderElementsOf(skiffB.assignment());
        assertThat(skiffB.revoked).isEmpty();
        assertThat(skiffB.lost).isEmpty();
        final int producedAtSplit = production.acked();
        await(() -> production.acked() >= producedAtSplit + 120, "records to keep flowing after the rebalance");

        final int total = production.finish();
        await(() -> deliveries.size() >= total, "all " + total + " records to be read");
        assertNoRecordReadTwice();
        assertThat(deliveries.size()).isEqualTo(total);
        assertThat(deliveries.perMember()).containsKeys("skiff-a", "kafka", "skiff-b");
        stop.set(true);
        kafkaMember.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
    }

    // ----------------------------------------------------------------------------------------------------------
    // 4. static membership: a restart within the session timeout is no rebalance

    @Test
    void aStaticMemberThatRestartsWithinTheSessionTimeoutGetsItsPartitionsBackWithoutARebalance()
            throws Exception {
        final String topic = "static-restart";
        final String group = "g-static-restart";
        final String instance = "static-1";
        createTopic(topic, 4);
        final ConsumerConfig staticConfig = config(group).set(ConsumerConfig.GROUP_INSTANCE_ID, instance)
                .set(ConsumerConfig.SESSION_TIMEOUT_MS, 30_000).build();
        // The static member joins first and leads: its return takes the leader's path (JoinGroup skipAssignment).
        final SkiffMember first = start("static", staticConfig, topic);
        await(() -> first.assignment().size() == 4, "the static member to own all four partitions");
        final SkiffMember other = start("other", config(group).build(), topic);
        await(() -> split(4, first.assignment(), other.assignment()), "a 2/2 split");
        final Set<TopicPartition> staticPartitions = Set.copyOf(first.assignment());
        final Set<TopicPartition> otherPartitions = Set.copyOf(other.assignment());
        assertThat(other.revoked).isEmpty();
        assertThat(other.assignedCalls).hasValue(1);
        produceWithKafka(topic, 4, 0, 50);
        await(() -> deliveries.size() == 200, "the first 200 records to be read");

        final String oldMemberId = first.memberId();
        first.close(); // commits (auto-commit) and, being static, sends no LeaveGroup
        // Kafka keeps the static member's place and its assignment: no rebalance while it is away.
        final ConsumerGroupDescription away = describe(group);
        assertThat(away.groupState()).isEqualTo(GroupState.STABLE);
        final MemberDescription kept = staticMember(away, instance);
        assertThat(kept.consumerId()).isEqualTo(oldMemberId);
        assertThat(toSkiff(kept.assignment().topicPartitions())).isEqualTo(staticPartitions);

        produceWithKafka(topic, 4, 50, 50);
        await(() -> deliveries.size() == 300, "the other member to read its new records");
        final SkiffMember back = start("static-again", staticConfig, topic);
        await(() -> !back.assignment().isEmpty(), "the static member to be back");
        assertThat(back.assignment()).isEqualTo(staticPartitions);
        // Had Kafka rebalanced, the eager (range) member would have revoked all its partitions before rejoining,
        // and would have had to rejoin before the returning member's JoinGroup was answered.
        assertThat(other.revoked).as("revoked by the other member").isEmpty();
        assertThat(other.lost).isEmpty();
        assertThat(other.assignedCalls).hasValue(1);
        assertThat(other.assignment()).isEqualTo(otherPartitions);

        await(() -> deliveries.size() == 400, "all 400 records to be read");
        assertNoRecordReadTwice();
        final Map<TopicPartition, Long> resumedAt = new HashMap<>();
        staticPartitions.forEach(tp -> resumedAt.put(tp, 50L));
        assertThat(back.firstOffsets).as("where the returning member started").isEqualTo(resumedAt);
        final ConsumerGroupDescription after = describe(group);
        assertThat(after.groupState()).isEqualTo(GroupState.STABLE);
        assertThat(after.members()).hasSize(2);
        final MemberDescription returned = staticMember(after, instance);
        assertThat(returned.consumerId()).isEqualTo(back.memberId());
        assertThat(toSkiff(returned.assignment().topicPartitions())).isEqualTo(staticPartitions);
        assertThat(other.revoked).isEmpty();
    }

    // ----------------------------------------------------------------------------------------------------------
    // 5, 6. manual commits in onPartitionsRevoked (Kafka's idiom without auto-commit), at a rebalance and on close

    @Test
    void anEagerMemberThatCommitsInOnPartitionsRevokedHandsOverWithoutRecordsReadTwice() throws Exception {
        final String topic = "eager-revoke-commit";
        final String group = "g-eager-revoke-commit";
        createTopic(topic, 4);
        final ConsumerConfig manual = config(group).enableAutoCommit(false).build();
        final SkiffMember a = start("a", manual, topic, true);
        await(() -> a.assignment().size() == 4, "a to own all four partitions");
        produceWithKafka(topic, 4, 0, 50);
        await(() -> deliveries.size() == 200, "a to read the first 200 records");

        final SkiffMember b = start("b", manual, topic, true);
        await(() -> split(4, a.assignment(), b.assignment()), "a 2/2 split");
        assertThat(a.revoked).as("a revoked all (eager)").hasSize(4);
        final Map<TopicPartition, Long> atRevocation = new HashMap<>();
        a.revoked.forEach(tp -> atRevocation.put(tp, 50L));
        final Map<TopicPartition, Long> committedAtSplit = committedOnKafka(group);

        produceWithKafka(topic, 4, 50, 10);
        await(() -> deliveries.size() == 240, "the 40 new records to be read");
        final Map<TopicPartition, Long> bStart = new HashMap<>();
        b.assignment().forEach(tp -> bStart.put(tp, 50L));
        // Soft: one failure shows every consequence (the commit, where b started, the records read twice).
        final SoftAssertions soft = new SoftAssertions();
        soft.assertThat(a.listenerErrors).as("what a's commitSync in onPartitionsRevoked threw").isEmpty();
        soft.assertThat(committedAtSplit).as("offsets a committed in onPartitionsRevoked").isEqualTo(atRevocation);
        soft.assertThat(b.firstOffsets).as("where b started").isEqualTo(bStart);
        soft.assertThat(deliveries.duplicates().size()).as("records read twice: %s", deliveries.sample()).isZero();
        soft.assertAll();
    }

    @Test
    void aMemberThatCommitsInOnPartitionsRevokedClosesAndLeavesTheGroupAtOnce() throws Exception {
        final String topic = "close-revoke-commit";
        final String group = "g-close-revoke-commit";
        createTopic(topic, 4);
        // Cooperative, so the remaining member revokes nothing when a leaves: only a's close is under test.
        final ConsumerConfig manual = config(group).enableAutoCommit(false)
                .partitionAssignmentStrategy("cooperative-sticky").build();
        final SkiffMember a = start("a", manual, topic, true);
        await(() -> a.assignment().size() == 4, "a to own all four partitions");
        final SkiffMember b = start("b", manual, topic, true);
        await(() -> split(4, a.assignment(), b.assignment()), "a 2/2 split");
        final Set<TopicPartition> aHad = Set.copyOf(a.assignment());
        produceWithKafka(topic, 4, 0, 50);
        await(() -> deliveries.size() == 200, "the first 200 records to be read");

        final long closing = System.nanoTime();
        a.close();
        await(() -> b.assignment().size() == 4, "b to take all four partitions");
        final long handOverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
        final Map<TopicPartition, Long> atClose = new HashMap<>();
        aHad.forEach(tp -> atClose.put(tp, 50L));
        final Map<TopicPartition, Long> committed = committedOnKafka(group);
        produceWithKafka(topic, 4, 50, 10);
        await(() -> deliveries.size() == 240, "the 40 new records to be read");
        final SoftAssertions soft = new SoftAssertions();
        soft.assertThat(a.listenerErrors).as("what a's commitSync in onPartitionsRevoked threw on close").isEmpty();
        soft.assertThat(committed).as("offsets a committed when it closed").containsAllEntriesOf(atClose);
        // LeaveGroup, not the 10 s session timeout, moved the partitions.
        soft.assertThat(handOverMs).as("ms until b owned a's partitions").isLessThan(5_000);
        soft.assertThat(deliveries.duplicates().size()).as("records read twice: %s", deliveries.sample()).isZero();
        soft.assertAll();
    }

    // ----------------------------------------------------------------------------------------------------------
    // helpers

    private static ConsumerConfig.Builder config(String group) {
        return ConsumerConfig.builder().bootstrapServers(kafka.bootstrapServers()).groupId(group)
                .autoOffsetReset("earliest")
                .set(ConsumerConfig.HEARTBEAT_INTERVAL_MS, 300)
                .set(ConsumerConfig.SESSION_TIMEOUT_MS, 10_000)
                .set(ConsumerConfig.MAX_POLL_INTERVAL_MS, 30_000)
                .set(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS, 200);
    }

    private SkiffMember start(String name, ConsumerConfig config, String topic) {
        return start(name, config, topic, false);
    }

    private SkiffMember start(String name, ConsumerConfig config, String topic, boolean commitOnRevoke) {
        final SkiffMember m = new SkiffMember(name, config, topic, deliveries, commitOnRevoke);
        members.add(m);
        return m;
    }

    private static void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
                .get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** Writes {@code count} records to every partition with the Skiff producer; values "partition-index". */
    private static void produceWithSkiff(String topic, int partitions, int from, int count) throws Exception {
        final List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
        try (Producer<String, String> producer = Producer.create(ProducerConfig.builder()
                .bootstrapServers(kafka.bootstrapServers()).lingerMs(2).build(), new StringSerializer(),
                new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                for (int p = 0; p < partitions; p++) {
                    acks.add(producer.send(new ProducerRecord<>(topic, p, null, p + "-" + i)));
                }
            }
            producer.flush();
        }
        for (CompletableFuture<RecordMetadata> ack : acks) {
            ack.get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    /** Writes {@code count} records to every partition with kafka-clients' KafkaProducer. */
    private static void produceWithKafka(String topic, int partitions, int from, int count) throws Exception {
        try (KafkaProducer<String, String> producer = kafkaProducer()) {
            final List<Future<org.apache.kafka.clients.producer.RecordMetadata>> acks = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                for (int p = 0; p < partitions; p++) {
                    acks.add(producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, p, null,
                            p + "-" + i)));
                }
            }
            producer.flush();
            for (Future<org.apache.kafka.clients.producer.RecordMetadata> ack : acks) {
                ack.get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
            }
        }
    }

    private static KafkaProducer<String, String> kafkaProducer() {
        final Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("linger.ms", "0");
        return new KafkaProducer<>(p, new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer());
    }

    /**
     * Records written to every partition in turn on a test thread until {@link #finish()}, a few at a time, so
     * they keep arriving while the group rebalances. Values are "partition-index".
     */
    private final class Production {
        private final AtomicBoolean enough = new AtomicBoolean();
        private final AtomicInteger acked = new AtomicInteger();
        private final AtomicReference<Exception> failed = new AtomicReference<>();
        private final Future<Integer> sent;

        Production(String topic, int partitions) {
            sent = threads.submit(() -> {
                int n = 0;
                try (KafkaProducer<String, String> producer = kafkaProducer()) {
                    for (int i = 0; !enough.get() && !stop.get(); i++) {
                        for (int p = 0; p < partitions; p++) {
                            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, p, null,
                                    p + "-" + i), (md, e) -> {
                                        if (e == null) {
                                            acked.incrementAndGet();
                                        } else {
                                            failed.compareAndSet(null, e);
                                        }
                                    });
                            n++;
                        }
                        if (i % 5 == 4) {
                            producer.flush();
                            // Pacing, not waiting: spreads the records over the rebalances under test.
                            Thread.sleep(25);
                        }
                    }
                    producer.flush();
                }
                return n;
            });
        }

        /** Records written so far. */
        int acked() {
            return acked.get();
        }

        /** Stops producing; returns how many records were written, all of them acknowledged. */
        int finish() throws Exception {
            enough.set(true);
            final int n = sent.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(failed.get()).as("a send failure").isNull();
            assertThat(acked.get()).isEqualTo(n);
            return n;
        }
    }

    /**
     * A kafka-clients KafkaConsumer (classic protocol, CooperativeStickyAssignor) polling on a test thread until
     * the test stops; it commits in onPartitionsRevoked, because its auto-commit does not cover records read
     * since the last interval.
     */
    private Future<?> runKafkaConsumer(String group, String topic, AtomicReference<Set<TopicPartition>> assignment,
                                       List<TopicPartition> revoked) {
        return threads.submit(() -> {
            final Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            p.put("group.id", group);
            p.put("group.protocol", "classic");
            p.put("auto.offset.reset", "earliest");
            p.put("heartbeat.interval.ms", "300");
            p.put("session.timeout.ms", "10000");
            p.put("auto.commit.interval.ms", "200");
            p.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<org.apache.kafka.common.TopicPartition> parts) {
                        consumer.commitSync();
                        revoked.addAll(toSkiff(parts));
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<org.apache.kafka.common.TopicPartition> parts) {
                    }
                });
                while (!stop.get()) {
                    for (org.apache.kafka.clients.consumer.ConsumerRecord<String, String> r
                            : consumer.poll(Duration.ofMillis(100))) {
                        deliveries.record("kafka", new TopicPartition(r.topic(), r.partition()), r.offset());
                    }
                    assignment.set(toSkiff(consumer.assignment()));
                }
            }
            return null;
        });
    }

    private static ConsumerGroupDescription describe(String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                .get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static Map<String, Set<TopicPartition>> assignmentsByMemberId(ConsumerGroupDescription group) {
        final Map<String, Set<TopicPartition>> out = new HashMap<>();
        for (MemberDescription m : group.members()) {
            out.put(m.consumerId(), toSkiff(m.assignment().topicPartitions()));
        }
        return out;
    }

    private static MemberDescription staticMember(ConsumerGroupDescription group, String instance) {
        return group.members().stream().filter(m -> m.groupInstanceId().filter(instance::equals).isPresent())
                .findFirst().orElseThrow(() -> new AssertionError("no member with group.instance.id=" + instance
                        + " in " + group));
    }

    /** The group's committed offsets as Kafka's AdminClient reads them. */
    private static Map<TopicPartition, Long> committedOnKafka(String group) throws Exception {
        final Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets = admin
                .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
        final Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((tp, om) -> out.put(new TopicPartition(tp.topic(), tp.partition()), om.offset()));
        return out;
    }

    private static Map<TopicPartition, Long> endOffsets(String topic, int partitions) throws Exception {
        final Map<org.apache.kafka.common.TopicPartition, OffsetSpec> query = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            query.put(new org.apache.kafka.common.TopicPartition(topic, p), OffsetSpec.latest());
        }
        final Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(query).all().get(CALL_TIMEOUT_S, TimeUnit.SECONDS)
                .forEach((tp, info) -> out.put(new TopicPartition(tp.topic(), tp.partition()), info.offset()));
        return out;
    }

    private static Set<TopicPartition> toSkiff(Collection<org.apache.kafka.common.TopicPartition> partitions) {
        final Set<TopicPartition> out = new HashSet<>();
        partitions.forEach(tp -> out.add(new TopicPartition(tp.topic(), tp.partition())));
        return out;
    }

    /** Every partition owned exactly once, and the members' shares differ by at most one. */
    @SafeVarargs
    private static boolean split(int total, Set<TopicPartition>... shares) {
        final Set<TopicPartition> union = new HashSet<>();
        int sum = 0;
        final int min = total / shares.length;
        for (Set<TopicPartition> share : shares) {
            if (share.size() < min || share.size() > min + 1) {
                return false;
            }
            union.addAll(share);
            sum += share.size();
        }
        return union.size() == total && sum == total;
    }

    /** No record was delivered twice, to one member or two. */
    private void assertNoRecordReadTwice() {
        assertThat(deliveries.duplicates().size()).as("records read twice: %s", deliveries.sample()).isZero();
    }

    /** Waits for {@code condition}, failing early when a member's thread died and late with {@code what}. */
    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        final long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            members.forEach(SkiffMember::check);
            if (System.nanoTime() - deadline > 0) {
                final StringBuilder state = new StringBuilder();
                for (SkiffMember m : members) {
                    state.append("\n  ").append(m.name).append(": ").append(m.assignment()).append(", revoked ")
                            .append(m.revoked).append(", lost ").append(m.lost);
                }
                throw new AssertionError("timed out after " + AWAIT + " waiting for " + what + "; read "
                        + deliveries.size() + " records " + deliveries.perMember() + ", duplicates "
                        + deliveries.duplicates().size() + state);
            }
            Thread.sleep(20);
        }
    }
}

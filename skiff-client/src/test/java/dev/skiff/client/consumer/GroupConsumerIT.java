package dev.skiff.client.consumer;

import dev.skiff.broker.Broker;
import dev.skiff.broker.BrokerConfig;
import dev.skiff.client.TopicPartition;
import dev.skiff.client.admin.GroupAdmin;
import dev.skiff.client.admin.SkiffAdmin;
import dev.skiff.client.serde.StringDeserializer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GroupConsumer against an in-process Skiff broker acting as group coordinator: members split the
 * partitions with no record delivered twice, committed offsets carry over to the next member, and a
 * kafka-clients KafkaConsumer and a GroupConsumer share one group.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GroupConsumerIT {
    private static final Duration POLL = Duration.ofMillis(100);

    @TempDir
    static Path dir;
    static Broker broker;
    static SkiffAdmin admin;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicBoolean stop = new AtomicBoolean();

    @BeforeAll
    static void start() {
        broker = Broker.start(BrokerConfig.builder().logDir(dir).listener("127.0.0.1", 0)
                .set("auto.create.topics.enable", "false")
                .set("group.initial.rebalance.delay.ms", "0").build());
        admin = SkiffAdmin.create(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        stop.set(true);
        threads.shutdown();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private static ConsumerConfig.Builder config(String group) {
        return ConsumerConfig.builder().bootstrapServers(broker.bootstrapServers()).groupId(group)
                .autoOffsetReset("earliest")
                .set(ConsumerConfig.HEARTBEAT_INTERVAL_MS, 200)
                .set(ConsumerConfig.SESSION_TIMEOUT_MS, 6000)
                .set(ConsumerConfig.MAX_POLL_INTERVAL_MS, 20000)
                .set(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS, 200);
    }

    private static GroupConsumer<String, String> consumer(ConsumerConfig.Builder config) {
        return GroupConsumer.create(config.build(), new StringDeserializer(), new StringDeserializer());
    }

    /** Writes {@code perPartition} records to each partition, values "p-offset". */
    private static void produce(String topic, int partitions, int perPartition) throws Exception {
        final Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < perPartition; i++) {
                for (int part = 0; part < partitions; part++) {
                    producer.send(new ProducerRecord<>(topic, part, null, part + "-" + i));
                }
            }
            producer.flush();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            Thread.sleep(20);
        }
    }

    /** Runs a GroupConsumer on its own thread until the test ends, recording who got which record. */
    private Future<?> member(String name, GroupConsumer<String, String> consumer, String topic,
                             Map<String, String> seenBy, Map<String, Set<TopicPartition>> assignments) {
        return member(name, consumer, topic, seenBy, assignments, stop, RebalanceListener.NONE);
    }

    private Future<?> member(String name, GroupConsumer<String, String> consumer, String topic,
                             Map<String, String> seenBy, Map<String, Set<TopicPartition>> assignments,
                             AtomicBoolean stopMember, RebalanceListener listener) {
        return threads.submit(() -> {
            try (consumer) {
                consumer.subscribe(List.of(topic), listener);
                while (!stop.get() && !stopMember.get()) {
                    for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                        final String previous = seenBy.putIfAbsent(r.topic() + "-" + r.partition() + "@" + r.offset(),
                                name);
                        assertThat(previous).as("record %s-%d@%d delivered to %s and %s", r.topic(), r.partition(),
                                r.offset(), previous, name).isNull();
                    }
                    assignments.put(name, consumer.assignment());
                }
            }
            return null;
        });
    }

    @Test
    void twoMembersShareSixPartitionsAndNoRecordIsDeliveredTwice() throws Exception {
        final String topic = "shared";
        admin.createTopic(topic, 6, Map.of());
        final Map<String, String> seenBy = new ConcurrentHashMap<>();
        final Map<String, Set<TopicPartition>> assignments = new ConcurrentHashMap<>();
        final Future<?> a = member("a", consumer(config("g-share")), topic, seenBy, assignments);
        await(() -> assignments.getOrDefault("a", Set.of()).size() == 6, "the first member to own all partitions");
        produce(topic, 6, 50);
        await(() -> seenBy.size() >= 60, "the first member to read some records");
        final Future<?> b = member("b", consumer(config("g-share")), topic, seenBy, assignments);
        await(() -> assignments.getOrDefault("a", Set.of()).size() == 3
                && assignments.getOrDefault("b", Set.of()).size() == 3, "a 3/3 split");
        try (GroupAdmin groups = GroupAdmin.create(broker.bootstrapServers())) {
            final GroupAdmin.Description d = groups.describeGroup("g-share");
            assertThat(d.state()).isEqualTo("Stable");
            assertThat(d.protocol()).isEqualTo("range");
            assertThat(d.members()).hasSize(2).allSatisfy(m -> assertThat(m.assignment()).hasSize(3));
            assertThat(groups.listGroups()).extracting(GroupAdmin.Listing::groupId).contains("g-share");
        }
        produce(topic, 6, 50);
        await(() -> seenBy.size() == 600, "every record to be read");

        final Set<TopicPartition> all = new HashSet<>(assignments.get("a"));
        all.addAll(assignments.get("b"));
        assertThat(all).hasSize(6);
        assertThat(seenBy.values()).contains("a", "b");
        stop.set(true);
        a.get(30, TimeUnit.SECONDS);
        b.get(30, TimeUnit.SECONDS);
        assertThat(seenBy).hasSize(600);
    }

    @Test
    void aNewMemberResumesFromCommittedOffsets() throws Exception {
        final String topic = "resume";
        admin.createTopic(topic, 2, Map.of());
        produce(topic, 2, 100);
        final List<TopicPartition> tps = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        final Map<TopicPartition, Long> positions = new HashMap<>();
        int firstRead = 0;
        try (GroupConsumer<String, String> first = consumer(config("g-resume").enableAutoCommit(false)
                .maxPollRecords(10))) {
            first.subscribe(List.of(topic));
            while (firstRead < 50) {
                firstRead += first.poll(POLL).size();
            }
            assertThat(first.assignment()).containsExactlyInAnyOrderElementsOf(tps);
            first.commitSync();
            for (TopicPartition tp : tps) {
                positions.put(tp, first.position(tp));
            }
            assertThat(first.committed(tps)).isEqualTo(positions);
        }
        assertThat(positions.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(firstRead);

        final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        int secondRead = 0;
        try (GroupConsumer<String, String> second = consumer(config("g-resume").enableAutoCommit(false))) {
            second.subscribe(List.of(topic));
            while (secondRead < 200 - firstRead) {
                for (ConsumerRecord<String, String> r : second.poll(POLL)) {
                    firstOffsets.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
                    secondRead++;
                }
            }
            assertThat(second.poll(Duration.ofMillis(300))).isEmpty();
        }
        assertThat(secondRead).isEqualTo(200 - firstRead);
        for (TopicPartition tp : tps) {
            if (positions.get(tp) < 100) {
                assertThat(firstOffsets.get(tp)).as("first offset read from %s", tp).isEqualTo(positions.get(tp));
            }
        }
    }

    @Test
    void aKafkaConsumerAndAGroupConsumerSplitPartitions() throws Exception {
        final String topic = "interop";
        admin.createTopic(topic, 6, Map.of());
        final Map<String, String> seenBy = new ConcurrentHashMap<>();
        final Map<String, Set<TopicPartition>> assignments = new ConcurrentHashMap<>();
        final AtomicReference<Set<TopicPartition>> kafkaAssignment = new AtomicReference<>(Set.of());
        final Future<?> skiff = member("skiff", consumer(config("g-interop")), topic, seenBy, assignments);
        await(() -> assignments.getOrDefault("skiff", Set.of()).size() == 6, "the Skiff member to own all");
        final Future<?> kafka = threads.submit(() -> {
            final Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            p.put("group.id", "g-interop");
            p.put("auto.offset.reset", "earliest");
            p.put("heartbeat.interval.ms", "200");
            p.put("session.timeout.ms", "6000");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p,
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (!stop.get()) {
                    for (org.apache.kafka.clients.consumer.ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                        final String previous = seenBy.putIfAbsent(r.topic() + "-" + r.partition() + "@" + r.offset(),
                                "kafka");
                        assertThat(previous).isNull();
                    }
                    final Set<TopicPartition> mine = new HashSet<>();
                    consumer.assignment().forEach(tp -> mine.add(new TopicPartition(tp.topic(), tp.partition())));
                    kafkaAssignment.set(mine);
                }
            }
            return null;
        });
        await(() -> kafkaAssignment.get().size() == 3 && assignments.get("skiff").size() == 3, "a 3/3 split");
        final Set<TopicPartition> union = new HashSet<>(kafkaAssignment.get());
        union.addAll(assignments.get("skiff"));
        assertThat(union).hasSize(6);
        produce(topic, 6, 20);
        await(() -> seenBy.size() == 120, "every record to be read");
        assertThat(new ArrayList<>(seenBy.values())).contains("skiff", "kafka");
        stop.set(true);
        skiff.get(30, TimeUnit.SECONDS);
        kafka.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aClosingMemberLeavesAndTheOtherTakesOverAtOnceWithCallbacks() throws Exception {
        final String topic = "handover";
        admin.createTopic(topic, 4, Map.of());
        final Map<String, String> seenBy = new ConcurrentHashMap<>();
        final Map<String, Set<TopicPartition>> assignments = new ConcurrentHashMap<>();
        final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        final RebalanceListener recorder = new RebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                events.add("revoked " + partitions.size());
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                events.add("assigned " + partitions.size());
            }
        };
        final Future<?> a = member("a", consumer(config("g-handover")), topic, seenBy, assignments, stop, recorder);
        await(() -> assignments.getOrDefault("a", Set.of()).size() == 4, "the first member to own all");
        final AtomicBoolean stopB = new AtomicBoolean();
        final Future<?> b = member("b", consumer(config("g-handover")), topic, seenBy, assignments, stopB,
                RebalanceListener.NONE);
        await(() -> assignments.getOrDefault("a", Set.of()).size() == 2
                && assignments.getOrDefault("b", Set.of()).size() == 2, "a 2/2 split");

        final long closing = System.nanoTime();
        stopB.set(true);
        b.get(30, TimeUnit.SECONDS);
        await(() -> assignments.get("a").size() == 4, "the remaining member to own all again");
        // LeaveGroup, not the 6 s session timeout, moved the partitions.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing)).isLessThan(5000);
        assertThat(events).containsSubsequence("assigned 4", "revoked 4", "assigned 2", "revoked 2", "assigned 4");
        stop.set(true);
        a.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aMemberThatStopsPollingLosesItsPartitionsAndRejoinsWhenItPollsAgain() throws Exception {
        final String topic = "slow";
        admin.createTopic(topic, 2, Map.of());
        final Map<String, String> seenBy = new ConcurrentHashMap<>();
        final Map<String, Set<TopicPartition>> assignments = new ConcurrentHashMap<>();
        try (GroupConsumer<String, String> slow = consumer(config("g-slow")
                .set(ConsumerConfig.MAX_POLL_INTERVAL_MS, 1500))) {
            slow.subscribe(List.of(topic));
            while (slow.assignment().size() != 2) {
                slow.poll(POLL);
            }
            final Future<?> b = member("b", consumer(config("g-slow")), topic, seenBy, assignments);
            await(() -> assignments.getOrDefault("b", Set.of()).size() == 2, "the live member to own all");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (slow.assignment().size() != 1 && System.nanoTime() - deadline < 0) {
                slow.poll(POLL);
            }
            assertThat(slow.assignment()).hasSize(1);
            await(() -> assignments.get("b").size() == 1, "a 1/1 split after the slow member rejoined");
            stop.set(true);
            b.get(30, TimeUnit.SECONDS);
        }
    }
}

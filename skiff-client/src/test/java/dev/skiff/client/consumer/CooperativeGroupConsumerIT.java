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
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
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
 * Incremental rebalances: GroupConsumers with partition.assignment.strategy=cooperative-sticky against an
 * in-process Skiff broker, alone and together with a kafka-clients KafkaConsumer using Kafka's own
 * CooperativeStickyAssignor. Records are produced throughout; every one must be read, and none by two
 * members.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CooperativeGroupConsumerIT {
    private static final Duration POLL = Duration.ofMillis(100);

    @TempDir
    static Path dir;
    static Broker broker;
    static SkiffAdmin admin;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Map<String, String> seenBy = new ConcurrentHashMap<>();
    private final Map<String, Set<TopicPartition>> assignments = new ConcurrentHashMap<>();
    private final List<String> duplicates = new CopyOnWriteArrayList<>();

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

    private static GroupConsumer<String, String> consumer(String group) {
        return GroupConsumer.create(ConsumerConfig.builder().bootstrapServers(broker.bootstrapServers())
                .groupId(group).autoOffsetReset("earliest").partitionAssignmentStrategy("cooperative-sticky")
                .set(ConsumerConfig.HEARTBEAT_INTERVAL_MS, 200)
                .set(ConsumerConfig.SESSION_TIMEOUT_MS, 6000)
                .set(ConsumerConfig.MAX_POLL_INTERVAL_MS, 20000)
                .set(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS, 200)
                .build(), new StringDeserializer(), new StringDeserializer());
    }

    /** What one member's listener saw. */
    private static final class Recorder implements RebalanceListener {
        final List<TopicPartition> revoked = new CopyOnWriteArrayList<>();
        final List<TopicPartition> lost = new CopyOnWriteArrayList<>();
        final AtomicInteger assignedCalls = new AtomicInteger();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoked.addAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignedCalls.incrementAndGet();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lost.addAll(partitions);
        }
    }

    private void record(String member, String topic, int partition, long offset) {
        final String previous = seenBy.putIfAbsent(topic + "-" + partition + "@" + offset, member);
        if (previous != null) {
            duplicates.add(topic + "-" + partition + "@" + offset + " read by " + previous + " and " + member);
        }
    }

    /** Runs a GroupConsumer on its own thread until {@code stopMember} (or the test) stops it. */
    private Future<?> member(String name, String group, String topic, AtomicBoolean stopMember,
                             RebalanceListener listener) {
        return threads.submit(() -> {
            try (GroupConsumer<String, String> consumer = consumer(group)) {
                consumer.subscribe(List.of(topic), listener);
                while (!stop.get() && !stopMember.get()) {
                    for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                        record(name, r.topic(), r.partition(), r.offset());
                    }
                    assignments.put(name, consumer.assignment());
                }
            } finally {
                assignments.remove(name);
            }
            return null;
        });
    }

    /** Produces {@code perPartition} records to every partition, in the background, slowly. */
    private Future<Integer> produceSlowly(String topic, int partitions, int perPartition) {
        return threads.submit(() -> {
            final Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            p.put("linger.ms", "0");
            int sent = 0;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < perPartition; i++) {
                    for (int part = 0; part < partitions; part++) {
                        producer.send(new ProducerRecord<>(topic, part, null, part + "-" + i));
                        sent++;
                    }
                    if (i % 5 == 0) {
                        producer.flush();
                        Thread.sleep(25); // spread the records over the rebalances under test
                    }
                }
                producer.flush();
            }
            return sent;
        });
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            Thread.sleep(20);
        }
    }

    private Set<TopicPartition> of(String member) {
        return assignments.getOrDefault(member, Set.of());
    }

    private boolean split(int total, String... members) {
        final Set<TopicPartition> union = new HashSet<>();
        int sum = 0;
        for (String m : members) {
            union.addAll(of(m));
            sum += of(m).size();
        }
        final int min = total / members.length;
        for (String m : members) {
            if (of(m).size() < min || of(m).size() > min + 1) {
                return false;
            }
        }
        return union.size() == total && sum == total;
    }

    @Test
    void aFourthMemberTakesPartitionsWithoutOthersRevokingWhatTheyKeep() throws Exception {
        final String topic = "coop-join";
        final String group = "g-coop-join";
        admin.createTopic(topic, 12, Map.of());
        final Map<String, Recorder> recorders = new ConcurrentHashMap<>();
        final Map<String, AtomicBoolean> stops = new ConcurrentHashMap<>();
        final List<Future<?>> running = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            recorders.put(name, new Recorder());
            stops.put(name, new AtomicBoolean());
            running.add(member(name, group, topic, stops.get(name), recorders.get(name)));
        }
        await(() -> split(12, "a", "b", "c"), "a 4/4/4 split");
        try (GroupAdmin groups = GroupAdmin.create(broker.bootstrapServers())) {
            assertThat(groups.describeGroup(group).protocol()).isEqualTo("cooperative-sticky");
        }
        final Map<String, Set<TopicPartition>> before = Map.of("a", of("a"), "b", of("b"), "c", of("c"));
        recorders.values().forEach(r -> r.revoked.clear());

        final Future<Integer> produced = produceSlowly(topic, 12, 200);
        await(() -> seenBy.size() >= 120, "some records to be read");
        recorders.put("d", new Recorder());
        stops.put("d", new AtomicBoolean());
        running.add(member("d", group, topic, stops.get("d"), recorders.get("d")));
        await(() -> split(12, "a", "b", "c", "d"), "a 3/3/3/3 split");

        for (String m : List.of("a", "b", "c")) {
            final Recorder r = recorders.get(m);
            // Each old member gave up exactly one partition, and only one it no longer has.
            assertThat(r.revoked).as("revoked by %s", m).hasSize(1);
            assertThat(before.get(m)).containsAll(r.revoked);
            assertThat(of(m)).doesNotContainAnyElementsOf(r.revoked);
            assertThat(before.get(m)).containsAll(of(m));
            assertThat(r.lost).isEmpty();
        }
        assertThat(of("d")).containsExactlyInAnyOrderElementsOf(recorders.values().stream()
                .flatMap(r -> r.revoked.stream()).toList());

        // d leaves: its partitions move to the others, and nobody revokes anything.
        final Set<TopicPartition> dHad = Set.copyOf(of("d"));
        stops.get("d").set(true);
        running.get(3).get(30, TimeUnit.SECONDS);
        await(() -> split(12, "a", "b", "c"), "a 4/4/4 split after d left");
        for (String m : List.of("a", "b", "c")) {
            assertThat(recorders.get(m).revoked).as("revoked by %s", m).hasSize(1);
        }
        final Set<TopicPartition> gained = new HashSet<>();
        for (String m : List.of("a", "b", "c")) {
            gained.addAll(of(m));
        }
        assertThat(gained).containsAll(dHad);

        final int total = produced.get(60, TimeUnit.SECONDS);
        await(() -> seenBy.size() >= total, "every record to be read");
        stop.set(true);
        for (Future<?> f : running) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(duplicates).isEmpty();
        assertThat(seenBy).hasSize(total);
    }

    @Test
    void aKafkaConsumerAndGroupConsumersShareCooperativelyWhoeverLeads() throws Exception {
        final String topic = "coop-mixed";
        final String group = "g-coop-mixed";
        admin.createTopic(topic, 6, Map.of());
        final AtomicReference<Set<TopicPartition>> kafkaAssignment = new AtomicReference<>(Set.of());
        final List<String> kafkaRevoked = new CopyOnWriteArrayList<>();
        final AtomicBoolean stopA = new AtomicBoolean();
        final Recorder a = new Recorder();
        // A Skiff member first: it leads while the KafkaConsumer joins.
        final Future<?> skiffA = member("skiff-a", group, topic, stopA, a);
        await(() -> of("skiff-a").size() == 6, "the first member to own all");
        final Future<Integer> produced = produceSlowly(topic, 6, 300);
        final Future<?> kafka = threads.submit(() -> {
            final Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            p.put("group.id", group);
            p.put("auto.offset.reset", "earliest");
            p.put("heartbeat.interval.ms", "200");
            p.put("session.timeout.ms", "6000");
            p.put("auto.commit.interval.ms", "200");
            p.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p,
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.StringDeserializer())) {
                consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<org.apache.kafka.common.TopicPartition> parts) {
                        // Kafka's auto-commit does not cover records read since the rebalance began.
                        consumer.commitSync();
                        parts.forEach(tp -> kafkaRevoked.add(tp.toString()));
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<org.apache.kafka.common.TopicPartition> parts) {
                    }
                });
                while (!stop.get()) {
                    for (org.apache.kafka.clients.consumer.ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                        record("kafka", r.topic(), r.partition(), r.offset());
                    }
                    final Set<TopicPartition> mine = new HashSet<>();
                    consumer.assignment().forEach(tp -> mine.add(new TopicPartition(tp.topic(), tp.partition())));
                    kafkaAssignment.set(mine);
                }
            }
            return null;
        });
        await(() -> kafkaAssignment.get().size() == 3 && of("skiff-a").size() == 3, "a 3/3 split");
        assertThat(a.revoked).hasSize(3);
        assertThat(kafkaAssignment.get()).containsExactlyInAnyOrderElementsOf(a.revoked);

        // The Skiff member leaves; the KafkaConsumer now leads and hands partitions to a new Skiff member.
        stopA.set(true);
        skiffA.get(30, TimeUnit.SECONDS);
        await(() -> kafkaAssignment.get().size() == 6, "the KafkaConsumer to own all");
        assertThat(kafkaRevoked).isEmpty();
        final Recorder b = new Recorder();
        final Future<?> skiffB = member("skiff-b", group, topic, new AtomicBoolean(), b);
        await(() -> kafkaAssignment.get().size() == 3 && of("skiff-b").size() == 3, "a 3/3 split again");
        assertThat(kafkaRevoked).hasSize(3);
        assertThat(b.revoked).isEmpty();

        final int total = produced.get(60, TimeUnit.SECONDS);
        await(() -> seenBy.size() >= total, "every record to be read");
        assertThat(new HashSet<>(seenBy.values())).contains("skiff-a", "kafka", "skiff-b");
        stop.set(true);
        kafka.get(30, TimeUnit.SECONDS);
        skiffB.get(30, TimeUnit.SECONDS);
        assertThat(duplicates).isEmpty();
        assertThat(seenBy).hasSize(total);
    }
}

package dev.skiff.it;

import static dev.skiff.it.Brokers.CALL_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.broker.Broker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * KafkaJS 2.2.4 (pure JavaScript) against the broker: a third client family after kafka-clients and librdkafka,
 * which speaks only the older, non-flexible versions of each API (Produce 7, Fetch 11, Metadata 6, JoinGroup 5,
 * OffsetFetch 4, ...) and has its own record batch encoder, group member and assignor.
 *
 * <p>Each scenario is a small script in {@code src/test/kafkajs} run by {@code node}; it prints its results as
 * one JSON object per line, and the group scenario also reads commands from its stdin, so this class can produce
 * records and check committed offsets between its steps. Kafka's own clients are the oracles on this side.
 * Skipped, with a message, where node or the installed KafkaJS package is missing.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaJsIT {
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(90);
    private static final int PARTITIONS = 6;
    private static final String GROUP_CLIENT_ID = "kafkajs-group";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path node;
    private static Path scripts;

    @TempDir
    Path dataDir;

    private Broker broker;
    private Admin admin;

    @BeforeAll
    static void findNodeAndKafkaJs() {
        node = ExternalTools.onPath("node");
        Assumptions.assumeTrue(node != null, "node is not on PATH, so KafkaJsIT is skipped; install Node.js 18 or "
                + "later with npm, then run `npm ci` in skiff-it/src/test/kafkajs, to run it");
        scripts = Path.of(System.getProperty("skiff.repo.root", "..")).resolve("skiff-it/src/test/kafkajs")
                .toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(scripts.resolve("node_modules/kafkajs")),
                "KafkaJS is not installed in " + scripts + ", so KafkaJsIT is skipped; run `npm ci` there to run it");
    }


    @BeforeEach
    void startBroker() {
        broker = Brokers.start(dataDir);
        admin = Brokers.admin(broker);
    }

    @AfterEach
    void stopBroker() {
        Brokers.closeAll(admin, broker);
    }

    /**
     * One running scenario script. Stdout lines are collected by a reader thread so a test can wait for the next
     * one with a timeout; stderr (KafkaJS's log and any failure) is kept for assertion messages. Closing kills the
     * process if it is still alive.
     */
    private static final class NodeScript implements AutoCloseable {
        private static final String END = "\u0000end";

        private final String name;
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final CompletableFuture<String> stderr;
        private final OutputStream stdin;

        NodeScript(String script, String... args) throws IOException {
            final List<String> command = new ArrayList<>();
            command.add(node.toString());
            command.add(script);
            command.addAll(List.of(args));
            this.name = String.join(" ", command.subList(1, command.size()));
            this.process = new ProcessBuilder(command).directory(scripts.toFile()).start();
            this.stdin = process.getOutputStream();
            this.stderr = drain(process.getErrorStream());
            final Thread reader = new Thread(this::readStdout, "kafkajs-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        private void readStdout() {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The process was killed; END below tells a waiting test that no more lines come.
            } finally {
                lines.add(END);
            }
        }

        /** The next result line, which must carry {@code "event": event} when {@code event} is not null. */
        JsonNode next(String event) throws Exception {
            final String line = lines.poll(LINE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null || line.equals(END)) {
                throw new AssertionError((line == null ? "no result line within " + LINE_TIMEOUT : "no more output")
                        + " from node " + name + " while waiting for " + (event == null ? "its result" : event)
                        + "; stderr:\n" + killAndReadStderr());
            }
            final JsonNode json = JSON.readTree(line);
            if (event != null) {
                assertThat(json.path("event").asText()).as("event from node %s: %s", name, line).isEqualTo(event);
            }
            return json;
        }

        void send(String line) throws IOException {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        /** Waits for the script to exit and asserts that it succeeded. */
        void finish() throws Exception {
            stdin.close();
            if (!process.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("node " + name + " did not finish within " + PROCESS_TIMEOUT
                        + "; stderr:\n" + killAndReadStderr());
            }
            assertThat(process.exitValue()).as("exit code of node %s; stderr:%n%s", name,
                    stderr.get(10, TimeUnit.SECONDS)).isZero();
        }

        private String killAndReadStderr() throws Exception {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return stderr.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream s = stream) {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Runs a script that prints one result line and exits, and returns that line. */
    private JsonNode runScript(String script, String... args) throws Exception {
        try (NodeScript process = new NodeScript(script, args)) {
            final JsonNode result = process.next(null);
            process.finish();
            return result;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. admin

    @Test
    void adminCreatesDescribesListsAndReadsOffsetsOfATopic() throws Exception {
        final String topic = "kafkajs-admin";

        final JsonNode create = runScript("admin.mjs", "create", broker.bootstrapServers(), topic, "" + PARTITIONS);

        assertThat(create.path("created").asBoolean()).as("first createTopics: %s", create).isTrue();
        // TOPIC_ALREADY_EXISTS, which KafkaJS turns into false.
        assertThat(create.path("createdAgain").isBoolean()).as("second createTopics: %s", create).isTrue();
        assertThat(create.path("createdAgain").asBoolean()).isFalse();
        final TopicDescription described = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        assertThat(described.partitions()).hasSize(PARTITIONS);

        // p + 1 records in partition p, so every partition has its own end offset.
        try (KafkaProducer<String, String> producer = Brokers.producer(broker, Map.of())) {
            for (int p = 0; p < PARTITIONS; p++) {
                for (int i = 0; i <= p; i++) {
                    producer.send(new ProducerRecord<>(topic, p, "k" + i, "v" + i));
                }
            }
            producer.flush();
        }

        final JsonNode inspect = runScript("admin.mjs", "inspect", broker.bootstrapServers(), topic);

        final JsonNode metadata = inspect.path("metadata").path("topics");
        assertThat(metadata).as("fetchTopicMetadata: %s", inspect).hasSize(1);
        assertThat(metadata.get(0).path("name").asText()).isEqualTo(topic);
        final Map<Integer, JsonNode> partitions = byPartition(metadata.get(0).path("partitions"), "partitionId");
        assertThat(partitions.keySet()).containsExactly(0, 1, 2, 3, 4, 5);
        for (TopicPartitionInfo expected : described.partitions()) {
            final JsonNode partition = partitions.get(expected.partition());
            final int leader = expected.leader().id();
            assertThat(partition.path("partitionErrorCode").asInt()).as("partition %s", partition).isZero();
            assertThat(partition.path("leader").asInt()).as("partition %s", partition).isEqualTo(leader);
            assertThat(ints(partition.path("replicas"))).containsExactly(leader);
            assertThat(ints(partition.path("isr"))).containsExactly(leader);
        }

        final List<String> listed = new ArrayList<>();
        inspect.path("topics").forEach(t -> listed.add(t.asText()));
        assertThat(listed).as("listTopics").contains(topic);

        final Map<Integer, JsonNode> offsets = byPartition(inspect.path("offsets"), "partition");
        assertThat(offsets.keySet()).as("fetchTopicOffsets: %s", inspect).containsExactly(0, 1, 2, 3, 4, 5);
        for (int p = 0; p < PARTITIONS; p++) {
            final JsonNode offset = offsets.get(p);
            assertThat(offset.path("low").asLong()).as("partition %s", offset).isZero();
            assertThat(offset.path("high").asLong()).as("partition %s", offset).isEqualTo(p + 1);
            assertThat(offset.path("offset").asLong()).as("partition %s", offset).isEqualTo(p + 1);
        }
    }

    private static Map<Integer, JsonNode> byPartition(JsonNode array, String field) {
        final Map<Integer, JsonNode> map = new TreeMap<>();
        array.forEach(n -> map.put(n.path(field).asInt(), n));
        return map;
    }

    private static List<Integer> ints(JsonNode array) {
        final List<Integer> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asInt()));
        return list;
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. producer

    @Test
    void gzipBatchesFromKafkaJsAreReadBackByKafkaConsumerWhereKafkaProducerWouldPutEachKey() throws Exception {
        final String topic = "kafkajs-produce";
        Brokers.createTopic(admin, topic, PARTITIONS);
        final int count = 500;
        final int batch = 100;

        final JsonNode result = runScript("produce.mjs", broker.bootstrapServers(), topic, "" + count, "" + batch);

        // Each send() answers with one RecordMetadata per partition; its base offset is the number of records
        // earlier sends put in that partition, as KafkaProducer's partitioner would place them.
        final JsonNode sends = result.path("sends");
        assertThat(sends).as("sends: %s", result).hasSize(count / batch);
        final int[] before = new int[PARTITIONS];
        for (int s = 0; s < sends.size(); s++) {
            final int[] inThisSend = new int[PARTITIONS];
            for (int i = s * batch; i < (s + 1) * batch; i++) {
                inThisSend[javaPartition("key-" + i)]++;
            }
            final Map<Integer, JsonNode> answered = byPartition(sends.get(s), "partition");
            for (int p = 0; p < PARTITIONS; p++) {
                if (inThisSend[p] == 0) {
                    assertThat(answered).doesNotContainKey(p);
                    continue;
                }
                final JsonNode metadata = answered.get(p);
                assertThat(metadata).as("send %d, partition %d: %s", s, p, sends.get(s)).isNotNull();
                assertThat(metadata.path("topicName").asText()).isEqualTo(topic);
                assertThat(metadata.path("errorCode").asInt()).as("%s", metadata).isZero();
                assertThat(metadata.path("baseOffset").asLong()).as("%s", metadata).isEqualTo(before[p]);
                before[p] += inThisSend[p];
            }
        }
        assertThat(before).as("records per partition").doesNotContain(0);

        final List<ConsumerRecord<String, String>> records;
        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
            records = Brokers.readAll(consumer, Brokers.partitions(topic, PARTITIONS), Duration.ofSeconds(60));
        }
        assertThat(records).hasSize(count);
        final Set<Integer> seen = new HashSet<>();
        final long[] nextOffset = new long[PARTITIONS];
        final int[] lastIndex = new int[PARTITIONS];
        Arrays.fill(lastIndex, -1);
        for (ConsumerRecord<String, String> record : records) {
            assertThat(record.key()).startsWith("key-");
            final int i = Integer.parseInt(record.key().substring("key-".length()));
            assertThat(seen.add(i)).as("record %d read once", i).isTrue();
            final int p = record.partition();
            assertThat(p).as("partition of %s", record.key()).isEqualTo(javaPartition(record.key()));
            assertThat(record.offset()).as("offset of %s", record.key()).isEqualTo(nextOffset[p]++);
            // One producer awaiting each send: a partition holds its keys in the order they were sent.
            assertThat(i).as("order in partition %d", p).isGreaterThan(lastIndex[p]);
            lastIndex[p] = i;
            assertThat(record.value()).isEqualTo(i % 50 == 49 ? null : "value-" + i + " " + "x".repeat(i % 7));
            assertThat(record.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(record.timestamp()).isEqualTo(1_700_000_000_000L + i);
            final Header[] headers = record.headers().toArray();
            assertThat(headers).extracting(Header::key).containsExactlyInAnyOrder("idx", "bin");
            assertThat(record.headers().lastHeader("idx").value())
                    .isEqualTo(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
            assertThat(record.headers().lastHeader("bin").value())
                    .isEqualTo(new byte[] {(byte) (i & 0xff), 0, (byte) 0xff});
        }
    }

    /** The partition KafkaProducer's default partitioner picks for a String key on a topic of PARTITIONS. */
    private static int javaPartition(String key) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), PARTITIONS);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3. and 4. a consumer group of two KafkaJS consumers

    /** A check made while both KafkaJS consumers are members and have committed everything produced so far. */
    @FunctionalInterface
    private interface WhileShared {
        void check(Map<String, String> memberIds, Map<String, List<Integer>> shares,
                   Map<TopicPartition, Long> ends) throws Exception;
    }

    /**
     * Runs group.mjs: two consumers share the topic, {@code first} records produced by KafkaProducer are read
     * between them exactly once and committed, {@code whileShared} runs, member a leaves, b takes over every
     * partition, and {@code second} more records are read by b alone. Asserts all of that and returns the end
     * offsets, which the group has committed by the time this returns.
     */
    private Map<TopicPartition, Long> runGroup(String topic, String group, WhileShared whileShared) throws Exception {
        final int first = 300;
        final int second = 120;
        Brokers.createTopic(admin, topic, PARTITIONS);
        final Set<String> produced = new TreeSet<>();
        final List<TopicPartition> partitions = Brokers.partitions(topic, PARTITIONS);

        try (NodeScript script = new NodeScript("group.mjs", broker.bootstrapServers(), topic, group,
                "" + PARTITIONS, "" + first, "" + second);
             KafkaProducer<String, String> producer = Brokers.producer(broker, Map.of())) {
            final JsonNode joined = script.next("joined");
            final Map<String, List<Integer>> shares = shares(joined.path("assignments"));
            final Map<String, String> memberIds = new TreeMap<>();
            joined.path("memberIds").properties().forEach(e -> memberIds.put(e.getKey(), e.getValue().asText()));
            assertThat(shares.keySet()).containsExactly("a", "b");
            // KafkaJS's RoundRobinAssigner gives each of two members half of six partitions.
            assertThat(shares.get("a")).as("shares %s", shares).hasSize(PARTITIONS / 2);
            assertThat(shares.get("b")).as("shares %s", shares).hasSize(PARTITIONS / 2)
                    .doesNotContainAnyElementsOf(shares.get("a"));
            assertThat(memberIds.values()).doesNotContainNull().doesNotHaveDuplicates();

            produce(producer, topic, 0, first, produced);
            final JsonNode consumed = script.next("consumed");
            assertThat(shares(consumed.path("assignments"))).as("no rebalance while consuming").isEqualTo(shares);
            final List<JsonNode> firstRecords = list(consumed.path("records"));
            assertReadOnce(firstRecords, produced);
            for (JsonNode record : firstRecords) {
                assertThat(shares.get(record.path("member").asText())).as("owner of %s", record)
                        .contains(record.path("partition").asInt());
            }
            final Map<TopicPartition, Long> shareEnds = endOffsets(partitions);
            awaitCommitted(group, shareEnds);
            whileShared.check(memberIds, shares, shareEnds);

            script.send("leave");
            final JsonNode takeover = script.next("takeover");
            assertThat(shares(takeover.path("assignments")).get("b")).containsExactly(0, 1, 2, 3, 4, 5);

            produce(producer, topic, first, first + second, produced);
            final List<JsonNode> all = list(script.next("drained").path("records"));
            // Nothing read twice across the hand-over: b starts from what a committed when it left.
            assertReadOnce(all, produced);
            for (JsonNode record : all.subList(first, all.size())) {
                assertThat(record.path("member").asText()).as("reader of %s", record).isEqualTo("b");
            }
            script.finish();

            final Map<TopicPartition, Long> ends = endOffsets(partitions);
            awaitCommitted(group, ends);
            return ends;
        }
    }

    private static Map<String, List<Integer>> shares(JsonNode assignments) {
        final Map<String, List<Integer>> shares = new TreeMap<>();
        assignments.properties().forEach(e -> shares.put(e.getKey(), ints(e.getValue())));
        return shares;
    }

    private static List<JsonNode> list(JsonNode array) {
        final List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    /** Produces keys k-from .. k-(to - 1) and adds "partition/offset key" of each to {@code produced}. */
    private static void produce(KafkaProducer<String, String> producer, String topic, int from, int to,
                                Set<String> produced) throws Exception {
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = from; i < to; i++) {
            sent.add(producer.send(new ProducerRecord<>(topic, "k-" + i, "v-" + i)));
        }
        for (int i = from; i < to; i++) {
            final RecordMetadata metadata = sent.get(i - from).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            produced.add(metadata.partition() + "/" + metadata.offset() + " k-" + i);
        }
    }

    /** Every produced record was read exactly once, with its key and value. */
    private static void assertReadOnce(List<JsonNode> records, Set<String> produced) {
        final List<String> read = new ArrayList<>();
        for (JsonNode record : records) {
            final String key = record.path("key").asText();
            assertThat(record.path("value").asText()).isEqualTo("v-" + key.substring("k-".length()));
            read.add(record.path("partition").asInt() + "/" + record.path("offset").asLong() + " " + key);
        }
        assertThat(read).as("records read by the group").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(produced);
    }

    private Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) {
        try (KafkaConsumer<String, String> consumer = Brokers.consumer(broker, Map.of())) {
            return new HashMap<>(consumer.endOffsets(partitions, CALL_TIMEOUT));
        }
    }

    /** Waits until AdminClient sees {@code ends} committed for the group: KafkaJS commits after each batch. */
    private void awaitCommitted(String group, Map<TopicPartition, Long> ends) throws Exception {
        final Map<TopicPartition, Long> committed = new HashMap<>();
        try {
            Brokers.await(Duration.ofSeconds(30), "group " + group + " to commit " + ends, () -> {
                committed.clear();
                final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                offsets.forEach((tp, om) -> committed.put(tp, om == null ? null : om.offset()));
                return committed.equals(ends);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last committed " + committed, e);
        }
    }

    @Test
    void twoKafkaJsConsumersShareTheGroupAndOneTakesOverWhenTheOtherLeaves() throws Exception {
        final Map<TopicPartition, Long> ends = runGroup("kafkajs-group", "kafkajs-share", (ids, shares, e) -> { });

        assertThat(ends.values()).as("records in every partition").allSatisfy(n -> assertThat(n).isPositive());
    }

    @Test
    void adminDescribesTheKafkaJsGroupAndFetchesItsOffsets() throws Exception {
        final String topic = "kafkajs-described";
        final String group = "kafkajs-described-group";

        final Map<TopicPartition, Long> finalEnds = runGroup(topic, group, (memberIds, shares, ends) -> {
            final JsonNode view = runScript("describe.mjs", broker.bootstrapServers(), group, topic);

            assertThat(list(view.path("groups"))).as("listGroups: %s", view).anySatisfy(g -> {
                assertThat(g.path("groupId").asText()).isEqualTo(group);
                assertThat(g.path("protocolType").asText()).isEqualTo("consumer");
            });
            final JsonNode described = onlyGroup(view, group);
            assertThat(described.path("state").asText()).as("describeGroups: %s", described).isEqualTo("Stable");
            assertThat(described.path("protocol").asText()).isEqualTo("RoundRobinAssigner");
            final Map<String, JsonNode> members = new TreeMap<>();
            described.path("members").forEach(m -> members.put(m.path("memberId").asText(), m));
            assertThat(members.keySet()).containsExactlyInAnyOrderElementsOf(memberIds.values());
            for (Map.Entry<String, String> member : memberIds.entrySet()) {
                final JsonNode m = members.get(member.getValue());
                assertThat(m.path("clientId").asText()).isEqualTo(GROUP_CLIENT_ID);
                assertThat(m.path("clientHost").asText()).as("%s", m).isNotEmpty();
                assertThat(list(m.path("subscription"))).extracting(JsonNode::asText).containsExactly(topic);
                assertThat(ints(m.path("assignment").path(topic))).as("assignment of %s: %s", member.getKey(), m)
                        .containsExactlyInAnyOrderElementsOf(shares.get(member.getKey()));
            }
            assertOffsets(view, topic, ends);
        });

        final JsonNode after = runScript("describe.mjs", broker.bootstrapServers(), group, topic);
        final JsonNode described = onlyGroup(after, group);
        assertThat(described.path("state").asText()).as("describeGroups: %s", described).isEqualTo("Empty");
        assertThat(described.path("members")).isEmpty();
        assertOffsets(after, topic, finalEnds);
    }

    private static JsonNode onlyGroup(JsonNode view, String group) {
        final JsonNode described = view.path("described");
        assertThat(described).as("describeGroups: %s", view).hasSize(1);
        final JsonNode g = described.get(0);
        assertThat(g.path("groupId").asText()).isEqualTo(group);
        assertThat(g.path("errorCode").asInt()).as("%s", g).isZero();
        assertThat(g.path("protocolType").asText()).isEqualTo("consumer");
        return g;
    }

    /** fetchOffsets for the topic, and for every topic (a null topic array), both show {@code ends}. */
    private static void assertOffsets(JsonNode view, String topic, Map<TopicPartition, Long> ends) {
        for (String field : List.of("offsets", "allOffsets")) {
            final JsonNode topics = view.path(field);
            assertThat(topics).as("fetchOffsets (%s): %s", field, view).hasSize(1);
            assertThat(topics.get(0).path("topic").asText()).isEqualTo(topic);
            final Map<TopicPartition, Long> fetched = new HashMap<>();
            topics.get(0).path("partitions").forEach(p ->
                    fetched.put(new TopicPartition(topic, p.path("partition").asInt()), p.path("offset").asLong()));
            assertThat(fetched).as("fetchOffsets (%s): %s", field, view).isEqualTo(ends);
        }
    }
}

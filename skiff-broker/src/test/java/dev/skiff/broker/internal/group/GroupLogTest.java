package dev.skiff.broker.internal.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.broker.BrokerConfig;
import dev.skiff.broker.ConfigException;
import dev.skiff.protocol.DecodeException;
import dev.skiff.storage.CompactionResult;
import dev.skiff.storage.LogConfig;
import dev.skiff.storage.LogManager;
import dev.skiff.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's record formats and its changelog's replay. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupLogTest {
    @TempDir
    Path dir;

    @Test
    void offsetAndGroupRecordsRoundTrip() {
        final GroupRecords.Key key = GroupRecords.readKey(GroupRecords.offsetKey("g", "topic", 7));
        assertThat(key).isEqualTo(new GroupRecords.Key(GroupRecords.OFFSET_KEY, "g", "topic", 7));
        final CommittedOffset offset = new CommittedOffset(42, 3, null, 1234);
        assertThat(GroupRecords.readOffsetValue(GroupRecords.offsetValue(offset))).isEqualTo(offset);

        final GroupRecords.StoredGroup group = new GroupRecords.StoredGroup("consumer", 5, "range", "m1", 99,
                List.of(new GroupRecords.StoredMember("m1", "i1", "c", "/h", 1000, 2000, new byte[] {1, 2},
                        new byte[] {3}), new GroupRecords.StoredMember("m2", null, "c", "/h", 1, 2, new byte[0],
                        new byte[0])));
        final GroupRecords.StoredGroup read = GroupRecords.readGroupValue(GroupRecords.groupValue(group));
        assertThat(read.generation()).isEqualTo(5);
        assertThat(read.leader()).isEqualTo("m1");
        assertThat(read.members()).hasSize(2);
        assertThat(read.members().get(0).subscription()).containsExactly(1, 2);
        assertThat(read.members().get(1).instanceId()).isNull();
        assertThat(GroupRecords.readKey(GroupRecords.groupKey("g")).topic()).isNull();
    }

    @Test
    void truncatedOrUnknownRecordsRaiseDecodeException() {
        final ByteBuffer value = GroupRecords.offsetValue(new CommittedOffset(1, 1, "m", 1));
        value.limit(value.limit() - 3);
        assertThatThrownBy(() -> GroupRecords.readOffsetValue(value)).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> GroupRecords.readKey(ByteBuffer.wrap(new byte[] {0, 9})))
                .isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> GroupRecords.readKey(ByteBuffer.wrap(new byte[] {0, 1, 0, 5, 'a'})))
                .isInstanceOf(DecodeException.class);
        final ByteBuffer group = GroupRecords.groupValue(new GroupRecords.StoredGroup(null, 0, null, null, 0,
                List.of()));
        group.putInt(group.limit() - 4, 1_000_000);
        assertThatThrownBy(() -> GroupRecords.readGroupValue(group)).isInstanceOf(DecodeException.class);
    }

    @Test
    void replaySeesRecordsInOrderWithTombstonesAndSkipsUnreadableOnes() {
        final List<String> seen = new ArrayList<>();
        try (LogManager logs = LogManager.open(dir, LogConfig.defaults(), Clock.systemUTC())) {
            final GroupLog log = GroupLog.open(logs);
            assertThat(logs.log(GroupLog.PARTITION).config().retentionMs()).isEqualTo(-1);
            log.append(List.of(
                    new GroupLog.Entry(GroupRecords.offsetKey("g", "t", 0),
                            GroupRecords.offsetValue(new CommittedOffset(5, -1, "", 1))),
                    new GroupLog.Entry(ByteBuffer.wrap(new byte[] {0, 9, 9}), ByteBuffer.wrap(new byte[1]))), 1).join();
            log.append(List.of(new GroupLog.Entry(GroupRecords.offsetKey("g", "t", 0), null),
                    new GroupLog.Entry(GroupRecords.groupKey("g"), null)), 2).join();
        }
        try (LogManager logs = LogManager.open(dir, LogConfig.defaults(), Clock.systemUTC())) {
            final long count = GroupLog.open(logs).replay(new GroupLog.Visitor() {
                @Override
                public void offset(String group, String topic, int partition, CommittedOffset value) {
                    seen.add(group + "/" + topic + "/" + partition + "=" + (value == null ? "null" : value.offset()));
                }

                @Override
                public void group(String group, GroupRecords.StoredGroup value) {
                    seen.add(group + "=" + value);
                }
            });
            assertThat(count).isEqualTo(4);
        }
        assertThat(seen).containsExactly("g/t/0=5", "g/t/0=null", "g=null");
    }

    /** Replays like the coordinator: the last record per key wins, a tombstone removes. */
    private static Map<String, String> replayState(GroupLog log) {
        final Map<String, String> state = new TreeMap<>();
        log.replay(new GroupLog.Visitor() {
            @Override
            public void offset(String group, String topic, int partition, CommittedOffset value) {
                final String key = group + "/" + topic + "/" + partition;
                if (value == null) {
                    state.remove(key);
                } else {
                    state.put(key, value.offset() + ":" + value.metadata());
                }
            }

            @Override
            public void group(String group, GroupRecords.StoredGroup value) {
                if (value == null) {
                    state.remove(group);
                } else {
                    state.put(group, value.generation() + ":" + value.leader() + ":" + value.members().size());
                }
            }
        });
        return state;
    }

    private static GroupRecords.StoredGroup storedGroup(int generation) {
        return new GroupRecords.StoredGroup("consumer", generation, "range", "m" + generation, generation,
                List.of(new GroupRecords.StoredMember("m" + generation, null, "c", "/h", 1000, 2000, new byte[] {1},
                        new byte[] {2})));
    }

    @Test
    void theOffsetsLogIsCompactedAndReplaysToTheSameStateAfterARestart() {
        final LogConfig defaults = LogConfig.defaults().toBuilder().cleanerBackoffMs(Long.MAX_VALUE).build();
        final Map<String, String> before;
        final long sizeBefore;
        final long endBefore;
        try (LogManager logs = LogManager.open(dir, defaults, Clock.systemUTC())) {
            final GroupLog log = GroupLog.open(logs, 4096);
            final PartitionLog partition = logs.log(GroupLog.PARTITION);
            assertThat(partition.config().compact()).isTrue();
            assertThat(partition.config().delete()).isFalse();
            long now = 1_000;
            for (int i = 0; i < 1_200; i++) {
                final List<GroupLog.Entry> commit = new ArrayList<>();
                commit.add(new GroupLog.Entry(GroupRecords.offsetKey("g", "orders", i % 3),
                        GroupRecords.offsetValue(new CommittedOffset(i, 0, "m" + i, now))));
                if (i % 100 == 0) {
                    commit.add(new GroupLog.Entry(GroupRecords.groupKey("g"),
                            GroupRecords.groupValue(storedGroup(i / 100))));
                }
                log.append(commit, now++).join();
            }
            // A group that was deleted: its tombstones replace everything it had.
            log.append(List.of(new GroupLog.Entry(GroupRecords.offsetKey("gone", "t", 0),
                    GroupRecords.offsetValue(new CommittedOffset(7, 0, "", now)))), now++).join();
            log.append(List.of(new GroupLog.Entry(GroupRecords.offsetKey("gone", "t", 0), null),
                    new GroupLog.Entry(GroupRecords.groupKey("gone"), null)), now++).join();
            for (int i = 0; i < 60; i++) {
                // Rolls the segments above past the active one.
                log.append(List.of(new GroupLog.Entry(GroupRecords.offsetKey("g", "orders", 0),
                        GroupRecords.offsetValue(new CommittedOffset(2_000 + i, 0, "late", now)))), now++).join();
            }
            before = replayState(log);
            sizeBefore = log.sizeInBytes();
            endBefore = partition.logEndOffset();

            final CompactionResult result = partition.compact(now);
            assertThat(result.cleaned()).isTrue();
            assertThat(replayState(log)).isEqualTo(before);
            assertThat(log.sizeInBytes()).isLessThan(sizeBefore / 10);
        }
        try (LogManager logs = LogManager.open(dir, defaults, Clock.systemUTC())) {
            final GroupLog log = GroupLog.open(logs, 4096);
            assertThat(replayState(log)).isEqualTo(before)
                    .containsEntry("g/orders/0", "2059:late")
                    .containsEntry("g/orders/1", "1198:m1198")
                    .containsEntry("g/orders/2", "1199:m1199")
                    .containsEntry("g", "11:m11:1")
                    .doesNotContainKey("gone").doesNotContainKey("gone/t/0");
            assertThat(log.sizeInBytes()).isLessThan(sizeBefore / 10);
            assertThat(logs.log(GroupLog.PARTITION).logEndOffset()).isEqualTo(endBefore);
        }
    }

    @Test
    void theOffsetsLogRollsAtOffsetsTopicSegmentBytes() {
        try (LogManager logs = LogManager.open(dir, LogConfig.defaults(), Clock.systemUTC())) {
            GroupLog.open(logs);
            final LogConfig config = logs.log(GroupLog.PARTITION).config();
            assertThat(config.segmentBytes()).isEqualTo(100 * 1024 * 1024);
            assertThat(config.cleanupPolicy()).isEqualTo("compact");
            assertThat(config.retentionMs()).isEqualTo(-1);
        }
    }

    @Test
    void brokerConfigKeysReachTheGroupConfig() {
        final GroupConfig config = GroupConfig.from(BrokerConfig.builder()
                .set(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0")
                .set(BrokerConfig.OFFSETS_RETENTION_MINUTES, "2")
                .set(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, "100")
                .build());
        assertThat(config.initialRebalanceDelayMs()).isZero();
        assertThat(config.offsetsRetentionMs()).isEqualTo(120_000);
        assertThat(config.minSessionTimeoutMs()).isEqualTo(100);
        assertThat(GroupConfig.from(BrokerConfig.defaults())).isEqualTo(GroupConfig.defaults());
        assertThat(BrokerConfig.builder().set(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "10").build().warnings())
                .isEmpty();
        assertThatThrownBy(() -> BrokerConfig.builder().set(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, "9000")
                .set(BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS, "8000").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS);
    }

    private static final java.util.UUID T1 = new java.util.UUID(1, 2);
    private static final java.util.UUID T2 = new java.util.UUID(-3, 4);

    private static Map<java.util.UUID, java.util.Set<Integer>> partitions(java.util.UUID topic, Integer... ps) {
        final Map<java.util.UUID, java.util.Set<Integer>> a = new TreeMap<>();
        a.put(topic, new java.util.TreeSet<>(List.of(ps)));
        return a;
    }

    private static GroupRecords.StoredConsumerGroup storedConsumerGroup() {
        final Map<String, ServerAssignor.Topic> topics = new java.util.LinkedHashMap<>();
        topics.put("orders", new ServerAssignor.Topic(T1, "orders", 3));
        topics.put("päyments", new ServerAssignor.Topic(T2, "päyments", 1));
        final Map<java.util.UUID, java.util.Set<Integer>> both = partitions(T1, 0, 2);
        both.put(T2, new java.util.TreeSet<>(List.of(0)));
        return new GroupRecords.StoredConsumerGroup(7, 6, "uniform", topics, List.of(
                new GroupRecords.StoredConsumerMember("m1", "i1", "rack-a", "client", "/127.0.0.1", "uniform",
                        30_000, 6, 5, ConsumerGroupMember.State.UNREVOKED_PARTITIONS, List.of("orders", "päyments"),
                        partitions(T1, 0), partitions(T1, 1), both),
                new GroupRecords.StoredConsumerMember("m2", null, null, null, null, null, 1, -2, 4,
                        ConsumerGroupMember.State.UNRELEASED_PARTITIONS, List.of(), new TreeMap<>(), new TreeMap<>(),
                        new TreeMap<>())));
    }

    @Test
    void consumerGroupRecordsRoundTrip() {
        assertThat(GroupRecords.readKey(GroupRecords.consumerGroupKey("cg")))
                .isEqualTo(new GroupRecords.Key(GroupRecords.CONSUMER_GROUP_KEY, "cg", null, -1));
        final GroupRecords.StoredConsumerGroup group = storedConsumerGroup();
        assertThat(GroupRecords.readConsumerGroupValue(GroupRecords.consumerGroupValue(group))).isEqualTo(group);
        final GroupRecords.StoredConsumerGroup empty = new GroupRecords.StoredConsumerGroup(3, 3, null, Map.of(),
                List.of());
        assertThat(GroupRecords.readConsumerGroupValue(GroupRecords.consumerGroupValue(empty))).isEqualTo(empty);
    }

    @Test
    void truncatedOrCorruptConsumerGroupValuesRaiseDecodeException() {
        final ByteBuffer value = GroupRecords.consumerGroupValue(storedConsumerGroup());
        for (int cut = 1; cut < value.remaining(); cut++) {
            final ByteBuffer truncated = value.duplicate().limit(value.limit() - cut);
            assertThatThrownBy(() -> GroupRecords.readConsumerGroupValue(truncated))
                    .isInstanceOf(DecodeException.class);
        }
        final ByteBuffer badCount = value.duplicate();
        badCount.putInt(2 + 4 + 4 + 2 + "uniform".length(), Integer.MAX_VALUE);
        assertThatThrownBy(() -> GroupRecords.readConsumerGroupValue(badCount)).isInstanceOf(DecodeException.class);
        final ByteBuffer badVersion = value.duplicate();
        badVersion.putShort(0, (short) 9);
        assertThatThrownBy(() -> GroupRecords.readConsumerGroupValue(badVersion))
                .isInstanceOf(DecodeException.class);
    }

    @Test
    void replayReportsConsumerGroupsAndTheirTombstones() {
        final List<String> seen = new ArrayList<>();
        try (LogManager logs = LogManager.open(dir, LogConfig.defaults(), Clock.systemUTC())) {
            final GroupLog log = GroupLog.open(logs);
            log.append(List.of(new GroupLog.Entry(GroupRecords.consumerGroupKey("cg"),
                    GroupRecords.consumerGroupValue(storedConsumerGroup()))), 1).join();
            log.append(List.of(new GroupLog.Entry(GroupRecords.consumerGroupKey("cg"), null)), 2).join();
            final long count = log.replay(new GroupLog.Visitor() {
                @Override
                public void offset(String group, String topic, int partition, CommittedOffset value) {
                    seen.add("offset");
                }

                @Override
                public void group(String group, GroupRecords.StoredGroup value) {
                    seen.add("classic");
                }

                @Override
                public void consumerGroup(String group, GroupRecords.StoredConsumerGroup value) {
                    seen.add(group + "=" + (value == null ? "null" : value.groupEpoch()));
                }
            });
            assertThat(count).isEqualTo(2);
            assertThat(replayState(log)).as("a visitor without consumerGroup skips them").isEmpty();
        }
        assertThat(seen).containsExactly("cg=7", "cg=null");
    }

    @Test
    void aLogWrittenBeforeConsumerGroupRecordsStillLoads() {
        try (LogManager logs = LogManager.open(dir, LogConfig.defaults(), Clock.systemUTC())) {
            GroupLog.open(logs).append(List.of(
                    new GroupLog.Entry(GroupRecords.offsetKey("g3", "t", 1),
                            GroupRecords.offsetValue(new CommittedOffset(9, 0, "", 1))),
                    new GroupLog.Entry(GroupRecords.groupKey("g3"), GroupRecords.groupValue(storedGroup(3)))), 1)
                    .join();
        }
        try (GroupFixture f = new GroupFixture(dir, GroupConfig.defaults())) {
            assertThat(f.state("g3")).isEqualTo(GroupState.STABLE);
            assertThat(f.committed("g3", "t", 1).offset()).isEqualTo(9);
            assertThat(GroupFixture.await(f.coordinator.consumerGroupDescribe(List.of("g3"), false)).get(0)
                    .errorMessage()).contains("not a consumer group");
        }
    }
}

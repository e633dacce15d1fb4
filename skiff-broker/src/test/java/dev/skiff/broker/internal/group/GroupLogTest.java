package dev.skiff.broker.internal.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.broker.BrokerConfig;
import dev.skiff.broker.ConfigException;
import dev.skiff.protocol.DecodeException;
import dev.skiff.storage.LogConfig;
import dev.skiff.storage.LogManager;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
}

package dev.skiff.broker.internal.group;

import dev.skiff.protocol.message.HeartbeatRequestData;
import dev.skiff.protocol.message.JoinGroupRequestData;
import dev.skiff.protocol.message.JoinGroupResponseData;
import dev.skiff.protocol.message.OffsetCommitRequestData;
import dev.skiff.protocol.message.OffsetCommitResponseData;
import dev.skiff.protocol.message.SyncGroupRequestData;
import dev.skiff.protocol.message.SyncGroupResponseData;
import dev.skiff.storage.LogConfig;
import dev.skiff.storage.LogManager;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A coordinator over a real log in a temp directory, with a manual clock, and request builders. */
final class GroupFixture implements AutoCloseable {
    static final UUID TOPIC_ID = UUID.fromString("00000000-0000-0000-0000-000000000001");
    /** Topic "twelve": 12 partitions, the size group-bench.sh's rebalance steps use. */
    static final UUID TWELVE_ID = UUID.fromString("00000000-0000-0000-0000-00000000000c");
    static final int SESSION_MS = 10_000;
    static final int REBALANCE_MS = 30_000;

    final Path dir;
    final GroupConfig config;
    final ManualScheduler scheduler;
    LogManager logs;
    GroupCoordinator coordinator;

    GroupFixture(Path dir, GroupConfig config) {
        this.dir = dir;
        this.config = config;
        this.scheduler = new ManualScheduler(1_000_000);
        open();
    }

    private void open() {
        logs = LogManager.open(dir, LogConfig.defaults(), Clock.systemUTC());
        coordinator = GroupCoordinator.open(logs, config, catalog(), scheduler);
    }

    /** Closes the coordinator and the logs and opens both again from disk, as a broker restart does. */
    void restart() {
        coordinator.close();
        logs.close();
        scheduler.reopen();
        open();
    }

    static TopicCatalog catalog() {
        return new TopicCatalog() {
            @Override
            public int partitionCount(String topic) {
                return topic.equals("t") ? 4 : topic.equals("u") ? 2 : topic.equals("twelve") ? 12 : -1;
            }

            @Override
            public UUID topicId(String topic) {
                return topic.equals("t") ? TOPIC_ID : topic.equals("twelve") ? TWELVE_ID : null;
            }

            @Override
            public String topicName(UUID id) {
                return TOPIC_ID.equals(id) ? "t" : TWELVE_ID.equals(id) ? "twelve" : null;
            }
        };
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future did not complete", e);
        }
    }

    /** Kafka's ConsumerProtocolSubscription v0 for {@code topics}. */
    static byte[] subscription(String... topics) {
        int size = 2 + 4 + 4;
        for (String t : topics) {
            size += 2 + t.length();
        }
        final ByteBuffer b = ByteBuffer.allocate(size);
        b.putShort((short) 0).putInt(topics.length);
        for (String t : topics) {
            b.putShort((short) t.length()).put(t.getBytes(StandardCharsets.UTF_8));
        }
        b.putInt(-1);
        return b.array();
    }

    static JoinGroupRequestData join(String group, String memberId, String instanceId, String... protocols) {
        final JoinGroupRequestData r = new JoinGroupRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setSessionTimeoutMs(SESSION_MS)
                .setRebalanceTimeoutMs(REBALANCE_MS)
                .setProtocolType("consumer");
        final List<JoinGroupRequestData.JoinGroupRequestProtocol> ps = new ArrayList<>();
        for (String p : protocols.length == 0 ? new String[] {"range"} : protocols) {
            ps.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName(p).setMetadata(subscription("t")));
        }
        return r.setProtocols(ps);
    }

    CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request, int version) {
        return coordinator.joinGroup(request, (short) version, "client", "/127.0.0.1");
    }

    /** KIP-394 two-step join at v9: returns the future of the second JoinGroup. */
    CompletableFuture<JoinGroupResponseData> joinNew(String group, String instanceId, String... protocols) {
        if (instanceId != null) {
            return join(join(group, "", instanceId, protocols), 9);
        }
        final JoinGroupResponseData first = await(join(join(group, "", null, protocols), 9));
        if (first.errorCode() != dev.skiff.protocol.Errors.MEMBER_ID_REQUIRED.code()) {
            throw new AssertionError("expected MEMBER_ID_REQUIRED, got " + first);
        }
        return join(join(group, first.memberId(), null, protocols), 9);
    }

    CompletableFuture<SyncGroupResponseData> sync(String group, JoinGroupResponseData joined,
                                                  Map<String, byte[]> assignments) {
        final SyncGroupRequestData r = new SyncGroupRequestData()
                .setGroupId(group)
                .setGenerationId(joined.generationId())
                .setMemberId(joined.memberId())
                .setProtocolType("consumer")
                .setProtocolName(joined.protocolName());
        assignments.forEach((m, a) -> r.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                .setMemberId(m).setAssignment(a)));
        return coordinator.syncGroup(r, (short) 5);
    }

    short heartbeat(String group, String memberId, int generation) {
        return heartbeat(group, memberId, null, generation);
    }

    short heartbeat(String group, String memberId, String instanceId, int generation) {
        return await(coordinator.heartbeat(new HeartbeatRequestData().setGroupId(group).setMemberId(memberId)
                .setGroupInstanceId(instanceId).setGenerationId(generation), (short) 4)).code();
    }

    OffsetCommitResponseData commit(String group, String memberId, int generation, String topic, int partition,
                                    long offset) {
        final OffsetCommitRequestData r = new OffsetCommitRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation);
        r.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic)
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(partition).setCommittedOffset(offset).setCommittedMetadata("m"))));
        return await(coordinator.commitOffsets(r, (short) 9));
    }

    CommittedOffset committed(String group, String topic, int partition) {
        return await(coordinator.fetchOffsets(group, Map.of(topic, List.of(partition))))
                .getOrDefault(topic, Map.of()).get(partition);
    }

    GroupState state(String group) {
        return await(coordinator.groupState(group));
    }

    @Override
    public void close() {
        coordinator.close();
        logs.close();
    }
}

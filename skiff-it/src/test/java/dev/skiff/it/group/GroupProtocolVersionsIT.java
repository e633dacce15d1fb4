package dev.skiff.it.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.Broker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every advertised version of every group API, sent by kafka-clients' own encoders and read back by its
 * decoders, non-flexible and flexible alike (librdkafka and kafkajs use the old ones).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupProtocolVersionsIT {
    private static final byte[] SUBSCRIPTION = {0, 0, 0, 0, 0, 1, 0, 1, 't', -1, -1, -1, -1};

    @TempDir
    Path dir;

    private Broker broker;
    private RawGroupClient client;
    private Uuid topicId;

    @BeforeEach
    void start() throws Exception {
        broker = GroupClients.start(dir, 0);
        GroupClients.createTopic(broker, "t", 2);
        try (Admin admin = GroupClients.admin(broker)) {
            topicId = admin.describeTopics(List.of("t")).allTopicNames().get(30, TimeUnit.SECONDS).get("t")
                    .topicId();
        }
        client = new RawGroupClient("127.0.0.1", broker.port());
    }

    @AfterEach
    void stop() {
        GroupClients.closeAll(client, broker);
    }

    @Test
    void apiVersionsAdvertisesTheGroupApis() throws Exception {
        final ApiVersionsResponseData r = client.call(new ApiVersionsRequestData(), 0);
        final Map<ApiKeys, short[]> expected = Map.of(
                ApiKeys.FIND_COORDINATOR, new short[] {0, 6}, ApiKeys.JOIN_GROUP, new short[] {0, 9},
                ApiKeys.SYNC_GROUP, new short[] {0, 5}, ApiKeys.HEARTBEAT, new short[] {0, 4},
                ApiKeys.LEAVE_GROUP, new short[] {0, 5}, ApiKeys.OFFSET_COMMIT, new short[] {2, 10},
                ApiKeys.OFFSET_FETCH, new short[] {1, 10}, ApiKeys.LIST_GROUPS, new short[] {0, 5},
                ApiKeys.DESCRIBE_GROUPS, new short[] {0, 6}, ApiKeys.DELETE_GROUPS, new short[] {0, 3});
        expected.forEach((api, range) -> {
            final ApiVersionsResponseData.ApiVersion v = r.apiKeys().find(api.id);
            assertThat(v).as("%s advertised", api).isNotNull();
            assertThat(v.minVersion()).as("%s min", api).isEqualTo(range[0]);
            assertThat(v.maxVersion()).as("%s max", api).isEqualTo(range[1]);
        });
        assertThat(r.apiKeys().find(ApiKeys.OFFSET_DELETE.id)).isNotNull();
        // KIP-848's consumer group protocol is served, so advertised.
        for (ApiKeys api : List.of(ApiKeys.CONSUMER_GROUP_HEARTBEAT, ApiKeys.CONSUMER_GROUP_DESCRIBE)) {
            final ApiVersionsResponseData.ApiVersion v = r.apiKeys().find(api.id);
            assertThat(v).as("%s advertised", api).isNotNull();
            assertThat(v.minVersion()).as("%s min", api).isEqualTo((short) 0);
            assertThat(v.maxVersion()).as("%s max", api).isEqualTo((short) 1);
        }
    }

    @Test
    void findCoordinatorEveryVersion() throws Exception {
        for (int v = 0; v <= 6; v++) {
            final FindCoordinatorRequestData req = new FindCoordinatorRequestData();
            if (v >= 4) {
                req.setCoordinatorKeys(List.of("g1", "g2"));
            } else {
                req.setKey("g1");
            }
            final FindCoordinatorResponseData r = client.call(req, v);
            if (v >= 4) {
                assertThat(r.coordinators()).hasSize(2).allSatisfy(c -> {
                    assertThat(c.errorCode()).isZero();
                    assertThat(c.port()).isEqualTo(broker.port());
                });
            } else {
                assertThat(r.errorCode()).as("v%d", v).isZero();
                assertThat(r.nodeId()).isEqualTo(1);
                assertThat(r.port()).isEqualTo(broker.port());
            }
        }
        final FindCoordinatorResponseData txn = client.call(new FindCoordinatorRequestData().setKey("tx")
                .setKeyType((byte) 1), 3);
        assertThat(txn.errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
    }

    @Test
    void joinSyncHeartbeatAndLeaveEveryVersion() throws Exception {
        for (int v = 0; v <= 9; v++) {
            final String group = "join-v" + v;
            final JoinGroupRequestData join = new JoinGroupRequestData().setGroupId(group).setMemberId("")
                    .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setProtocolType("consumer");
            join.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                    .setMetadata(SUBSCRIPTION));
            JoinGroupResponseData joined = client.call(join, v);
            if (v >= 4) {
                assertThat(joined.errorCode()).as("v%d", v).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
                joined = client.call(join.duplicate().setMemberId(joined.memberId()), v);
            }
            assertThat(joined.errorCode()).as("join v%d", v).isZero();
            assertThat(joined.generationId()).isEqualTo(1);
            assertThat(joined.protocolName()).isEqualTo("range");
            assertThat(joined.leader()).isEqualTo(joined.memberId());
            assertThat(joined.members()).singleElement().satisfies(m -> {
                assertThat(m.memberId()).isEqualTo(m.memberId());
                assertThat(m.metadata()).isEqualTo(SUBSCRIPTION);
            });
            final String member = joined.memberId();

            final int sv = Math.min(v, 5);
            final SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId(group).setGenerationId(1)
                    .setMemberId(member);
            if (sv >= 5) {
                sync.setProtocolType("consumer").setProtocolName("range");
            }
            sync.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(member)
                    .setAssignment("a".getBytes(StandardCharsets.UTF_8)));
            final SyncGroupResponseData synced = client.call(sync, sv);
            assertThat(synced.errorCode()).as("sync v%d", sv).isZero();
            assertThat(synced.assignment()).isEqualTo("a".getBytes(StandardCharsets.UTF_8));
            if (sv >= 5) {
                assertThat(synced.protocolName()).isEqualTo("range");
            }

            final int hv = Math.min(v, 4);
            final HeartbeatResponseData beat = client.call(new HeartbeatRequestData().setGroupId(group)
                    .setGenerationId(1).setMemberId(member), hv);
            assertThat(beat.errorCode()).as("heartbeat v%d", hv).isZero();
            final HeartbeatResponseData stale = client.call(new HeartbeatRequestData().setGroupId(group)
                    .setGenerationId(0).setMemberId(member), hv);
            assertThat(stale.errorCode()).isEqualTo(Errors.ILLEGAL_GENERATION.code());

            final int lv = Math.min(v, 5);
            final LeaveGroupRequestData leave = new LeaveGroupRequestData().setGroupId(group);
            if (lv >= 3) {
                leave.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId(member));
                leave.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId("ghost"));
            } else {
                leave.setMemberId(member);
            }
            final LeaveGroupResponseData left = client.call(leave, lv);
            assertThat(left.errorCode()).as("leave v%d", lv).isZero();
            if (lv >= 3) {
                assertThat(left.members()).extracting(LeaveGroupResponseData.MemberResponse::errorCode)
                        .containsExactly(Errors.NONE.code(), Errors.UNKNOWN_MEMBER_ID.code());
            }
        }
    }

    @Test
    void commitAndFetchEveryVersion() throws Exception {
        for (int fv = 1; fv <= 10; fv++) {
            final int cv = Math.max(2, fv);
            final String group = "offsets-v" + fv;
            final OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId(group)
                    .setGenerationIdOrMemberEpoch(-1).setMemberId("");
            final OffsetCommitRequestData.OffsetCommitRequestTopic topic =
                    new OffsetCommitRequestData.OffsetCommitRequestTopic();
            if (cv >= 10) {
                topic.setTopicId(topicId);
            } else {
                topic.setName("t");
            }
            topic.partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1)
                    .setCommittedOffset(100 + fv).setCommittedMetadata("md"));
            topic.partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(7)
                    .setCommittedOffset(1));
            commit.topics().add(topic);
            final OffsetCommitResponseData committed = client.call(commit, cv);
            assertThat(committed.topics().get(0).partitions()).extracting(
                    OffsetCommitResponseData.OffsetCommitResponsePartition::errorCode).as("commit v%d", cv)
                    .containsExactly(Errors.NONE.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code());

            final OffsetFetchRequestData fetch = new OffsetFetchRequestData();
            if (fv < 8) {
                fetch.setGroupId(group).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName("t").setPartitionIndexes(List.of(0, 1))));
                final OffsetFetchResponseData r = client.call(fetch, fv);
                assertThat(r.topics().get(0).partitions()).extracting(
                        OffsetFetchResponseData.OffsetFetchResponsePartition::committedOffset).as("fetch v%d", fv)
                        .containsExactly(-1L, 100L + fv);
                if (fv >= 2) {
                    final OffsetFetchResponseData all = client.call(new OffsetFetchRequestData().setGroupId(group)
                            .setTopics(null), fv);
                    assertThat(all.topics()).singleElement().satisfies(t ->
                            assertThat(t.partitions()).singleElement().satisfies(p ->
                                    assertThat(p.metadata()).isEqualTo("md")));
                }
            } else {
                final OffsetFetchRequestData.OffsetFetchRequestTopics t = new OffsetFetchRequestData.OffsetFetchRequestTopics()
                        .setPartitionIndexes(List.of(0, 1));
                if (fv >= 10) {
                    t.setTopicId(topicId);
                } else {
                    t.setName("t");
                }
                fetch.setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group)
                                .setTopics(List.of(t)),
                        new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("unknown").setTopics(null)));
                final OffsetFetchResponseData r = client.call(fetch, fv);
                assertThat(r.groups()).hasSize(2);
                assertThat(r.groups().get(0).topics().get(0).partitions()).extracting(
                        OffsetFetchResponseData.OffsetFetchResponsePartitions::committedOffset).as("fetch v%d", fv)
                        .containsExactly(-1L, 100L + fv);
                assertThat(r.groups().get(1).topics()).isEmpty();
            }
        }
    }

    @Test
    void listDescribeOffsetDeleteAndDeleteGroupsEveryVersion() throws Exception {
        for (int v = 0; v <= 6; v++) {
            final String group = "admin-v" + v;
            final OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId(group)
                    .setGenerationIdOrMemberEpoch(-1).setMemberId("");
            commit.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t").setPartitions(
                    List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                            .setCommittedOffset(3))));
            client.call(commit, 8);
            final DescribeGroupsResponseData d = client.call(new DescribeGroupsRequestData()
                    .setGroups(List.of(group, "none")).setIncludeAuthorizedOperations(v >= 3), v);
            assertThat(d.groups().get(0).groupState()).as("describe v%d", v).isEqualTo("Empty");
            assertThat(d.groups().get(0).errorCode()).isZero();
            assertThat(d.groups().get(1).groupState()).isEqualTo("Dead");
            assertThat(d.groups().get(1).errorCode()).isEqualTo(v >= 6 ? Errors.GROUP_ID_NOT_FOUND.code() : 0);
            if (v <= 5) {
                final ListGroupsRequestData list = new ListGroupsRequestData();
                if (v >= 4) {
                    list.setStatesFilter(List.of("Empty"));
                }
                final ListGroupsResponseData l = client.call(list, v);
                assertThat(l.errorCode()).isZero();
                assertThat(l.groups()).extracting(ListGroupsResponseData.ListedGroup::groupId).as("list v%d", v)
                        .contains(group);
            }
            if (v == 0) {
                final OffsetDeleteRequestData del = new OffsetDeleteRequestData().setGroupId(group);
                del.topics().add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("t")
                        .setPartitions(List.of(
                                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
                final OffsetDeleteResponseData r = client.call(del, 0);
                assertThat(r.errorCode()).isZero();
                assertThat(r.topics().find("t").partitions().find(0).errorCode()).isZero();
            }
            if (v <= 3) {
                final DeleteGroupsResponseData r = client.call(new DeleteGroupsRequestData()
                        .setGroupsNames(List.of(group, "none")), v);
                assertThat(r.results().find(group).errorCode()).as("delete v%d", v).isZero();
                assertThat(r.results().find("none").errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
            }
        }
    }
}

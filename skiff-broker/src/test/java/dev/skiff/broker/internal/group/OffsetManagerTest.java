package dev.skiff.broker.internal.group;

import static dev.skiff.broker.internal.group.GroupFixture.await;
import static dev.skiff.broker.internal.group.GroupFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.DeleteGroupsResponseData;
import dev.skiff.protocol.message.DescribeGroupsResponseData;
import dev.skiff.protocol.message.JoinGroupResponseData;
import dev.skiff.protocol.message.LeaveGroupRequestData;
import dev.skiff.protocol.message.ListGroupsRequestData;
import dev.skiff.protocol.message.ListGroupsResponseData;
import dev.skiff.protocol.message.OffsetCommitRequestData;
import dev.skiff.protocol.message.OffsetCommitResponseData;
import dev.skiff.protocol.message.OffsetDeleteRequestData;
import dev.skiff.protocol.message.OffsetDeleteResponseData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Offset commits and fetches, durability across restarts, expiry, and the admin APIs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OffsetManagerTest {
    private static final long RETENTION_MS = 60_000;

    @TempDir
    Path dir;

    private GroupFixture f;

    @BeforeEach
    void open() {
        f = new GroupFixture(dir, new GroupConfig(6_000, 1_800_000, 0, 300_000, RETENTION_MS, 10_000, 16));
    }

    @AfterEach
    void close() {
        f.close();
    }

    private static short error(OffsetCommitResponseData r) {
        return r.topics().get(0).partitions().get(0).errorCode();
    }

    private JoinGroupResponseData stableMember(String group) {
        final JoinGroupResponseData a = await(f.joinNew(group, null));
        await(f.sync(group, a, Map.of(a.memberId(), new byte[] {1})));
        return a;
    }

    @Test
    void simpleCommitToAGroupWithoutMembersIsStoredAndFetched() {
        assertThat(error(f.commit("simple", "", -1, "t", 2, 42))).isEqualTo(Errors.NONE.code());
        final CommittedOffset o = f.committed("simple", "t", 2);
        assertThat(o.offset()).isEqualTo(42);
        assertThat(o.metadata()).isEqualTo("m");
        assertThat(f.committed("simple", "t", 3)).isNull();
        assertThat(f.committed("other", "t", 2)).isNull();
    }

    @Test
    void commitToAPartitionThatDoesNotExistIsRejected() {
        assertThat(error(f.commit("g", "", -1, "t", 4, 1))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(error(f.commit("g", "", -1, "missing", 0, 1))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void commitByTopicIdAtV10() {
        final OffsetCommitRequestData r = new OffsetCommitRequestData().setGroupId("g").setMemberId("")
                .setGenerationIdOrMemberEpoch(-1);
        r.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setTopicId(GroupFixture.TOPIC_ID)
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(1).setCommittedOffset(5))));
        r.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setTopicId(java.util.UUID.randomUUID())
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(0).setCommittedOffset(5))));
        final OffsetCommitResponseData response = await(f.coordinator.commitOffsets(r, (short) 10));
        assertThat(response.topics().get(0).topicId()).isEqualTo(GroupFixture.TOPIC_ID);
        assertThat(response.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.topics().get(1).partitions().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        assertThat(f.committed("g", "t", 1).offset()).isEqualTo(5);
    }

    @Test
    void metadataLargerThanTheLimitIsRejected() {
        final OffsetCommitRequestData r = new OffsetCommitRequestData().setGroupId("g").setMemberId("")
                .setGenerationIdOrMemberEpoch(-1);
        r.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t")
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(0).setCommittedOffset(5).setCommittedMetadata("x".repeat(17)))));
        assertThat(error(await(f.coordinator.commitOffsets(r, (short) 8))))
                .isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE.code());
    }

    @Test
    void memberCommitsAreValidatedAgainstTheGroup() {
        final JoinGroupResponseData a = stableMember("g");
        assertThat(error(f.commit("g", a.memberId(), a.generationId(), "t", 0, 10))).isEqualTo(Errors.NONE.code());
        assertThat(error(f.commit("g", "nobody", a.generationId(), "t", 0, 10)))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(error(f.commit("g", a.memberId(), a.generationId() - 1, "t", 0, 10)))
                .isEqualTo(Errors.ILLEGAL_GENERATION.code());
        // A group with members does not take anonymous commits.
        assertThat(error(f.commit("g", "", -1, "t", 0, 10))).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        // A member generation for a group that does not exist.
        assertThat(error(f.commit("nope", "m", 3, "t", 0, 10))).isEqualTo(Errors.ILLEGAL_GENERATION.code());
        assertThat(f.committed("g", "t", 0).offset()).isEqualTo(10);
    }

    @Test
    void commitWhileWaitingForSyncIsRejectedButAllowedWhilePreparing() {
        f.close();
        f = new GroupFixture(dir, new GroupConfig(6_000, 1_800_000, 0, 300_000, RETENTION_MS, 10_000, 4096));
        final JoinGroupResponseData a = stableMember("g");
        final CompletableFuture<JoinGroupResponseData> b = f.joinNew("g", null);
        assertThat(f.state("g")).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(error(f.commit("g", a.memberId(), a.generationId(), "t", 0, 7))).isEqualTo(Errors.NONE.code());
        final JoinGroupResponseData a2 = await(f.join(join("g", a.memberId(), null), 9));
        assertThat(await(b).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(error(f.commit("g", a.memberId(), a2.generationId(), "t", 0, 8)))
                .isEqualTo(Errors.REBALANCE_IN_PROGRESS.code());
    }

    @Test
    void offsetsAndStableGroupsSurviveARestart() {
        final JoinGroupResponseData a = stableMember("g");
        f.commit("g", a.memberId(), a.generationId(), "t", 1, 100);
        f.commit("g", a.memberId(), a.generationId(), "t", 1, 101);
        f.commit("simple", "", -1, "u", 0, 5);
        f.restart();
        assertThat(f.committed("g", "t", 1).offset()).isEqualTo(101);
        assertThat(f.committed("simple", "u", 0).offset()).isEqualTo(5);
        assertThat(f.state("g")).isEqualTo(GroupState.STABLE);
        // The member carries on with its generation, without rejoining.
        assertThat(f.heartbeat("g", a.memberId(), a.generationId())).isEqualTo(Errors.NONE.code());
        assertThat(await(f.sync("g", a, Map.of())).assignment()).isEqualTo(new byte[] {1});
    }

    @Test
    void deletingATopicDropsEveryGroupsOffsetsOfItDurably() {
        f.commit("g1", "", -1, "t", 0, 10);
        f.commit("g1", "", -1, "t", 3, 13);
        f.commit("g1", "", -1, "u", 1, 7);
        f.commit("g2", "", -1, "t", 2, 22);
        assertThat(await(f.coordinator.topicDeleted("t"))).isEqualTo(3);
        assertThat(f.committed("g1", "t", 0)).isNull();
        assertThat(f.committed("g1", "t", 3)).isNull();
        assertThat(f.committed("g2", "t", 2)).isNull();
        assertThat(f.committed("g1", "u", 1).offset()).isEqualTo(7);
        // The tombstones are in the group log: the offsets stay gone after a restart.
        f.restart();
        assertThat(f.committed("g1", "t", 0)).isNull();
        assertThat(f.committed("g2", "t", 2)).isNull();
        assertThat(f.committed("g1", "u", 1).offset()).isEqualTo(7);
        assertThat(await(f.coordinator.topicDeleted("no-such-topic"))).isZero();
    }

    @Test
    void restoredMemberThatNeverComesBackExpires() {
        final JoinGroupResponseData a = stableMember("g");
        f.commit("g", a.memberId(), a.generationId(), "t", 0, 3);
        f.restart();
        f.scheduler.advance(GroupFixture.SESSION_MS + 1);
        assertThat(f.state("g")).isEqualTo(GroupState.EMPTY);
        assertThat(f.heartbeat("g", a.memberId(), a.generationId())).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void offsetsOfAnEmptyGroupExpireAfterTheRetentionAndTheGroupGoes() {
        final JoinGroupResponseData a = stableMember("g");
        f.commit("g", a.memberId(), a.generationId(), "t", 0, 3);
        await(f.coordinator.leaveGroup(new LeaveGroupRequestData().setGroupId("g").setMemberId(a.memberId()),
                (short) 1));
        assertThat(f.state("g")).isEqualTo(GroupState.EMPTY);
        f.scheduler.advance(RETENTION_MS - 20_000);
        assertThat(f.committed("g", "t", 0)).isNotNull();
        f.scheduler.advance(20_000);
        assertThat(f.committed("g", "t", 0)).isNull();
        assertThat(f.state("g")).isNull();
        f.restart();
        assertThat(f.committed("g", "t", 0)).isNull();
        assertThat(f.state("g")).isNull();
    }

    @Test
    void offsetsOfAGroupWithMembersDoNotExpire() {
        final JoinGroupResponseData a = stableMember("g");
        f.commit("g", a.memberId(), a.generationId(), "t", 0, 3);
        for (int i = 0; i < 20; i++) {
            f.scheduler.advance(5_000);
            f.heartbeat("g", a.memberId(), a.generationId());
        }
        assertThat(f.committed("g", "t", 0).offset()).isEqualTo(3);
    }

    @Test
    void deleteGroupsDeletesOnlyEmptyGroupsAndTheirOffsets() {
        final JoinGroupResponseData a = stableMember("busy");
        f.commit("idle", "", -1, "t", 0, 9);
        final DeleteGroupsResponseData r = await(f.coordinator.deleteGroups(List.of("busy", "idle", "none")));
        assertThat(r.results()).extracting(DeleteGroupsResponseData.DeletableGroupResult::errorCode).containsExactly(
                Errors.NON_EMPTY_GROUP.code(), Errors.NONE.code(), Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(f.committed("idle", "t", 0)).isNull();
        f.commit("busy", a.memberId(), a.generationId(), "t", 0, 1);
        f.restart();
        assertThat(f.state("idle")).isNull();
        assertThat(f.committed("busy", "t", 0).offset()).isEqualTo(1);
    }

    @Test
    void offsetDeleteRefusesTopicsALiveConsumerGroupSubscribesTo() {
        final JoinGroupResponseData a = stableMember("g");
        f.commit("g", a.memberId(), a.generationId(), "t", 0, 3);
        f.commit("g", a.memberId(), a.generationId(), "u", 0, 4);
        final OffsetDeleteRequestData r = new OffsetDeleteRequestData().setGroupId("g");
        r.topics().add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("t").setPartitions(List.of(
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
        r.topics().add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("u").setPartitions(List.of(
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0),
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(9))));
        final OffsetDeleteResponseData response = await(f.coordinator.deleteOffsets(r));
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
        assertThat(response.topics().get(1).partitions()).extracting(
                OffsetDeleteResponseData.OffsetDeleteResponsePartition::errorCode)
                .containsExactly(Errors.NONE.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(f.committed("g", "t", 0)).isNotNull();
        assertThat(f.committed("g", "u", 0)).isNull();
        assertThat(await(f.coordinator.deleteOffsets(new OffsetDeleteRequestData().setGroupId("none"))).errorCode())
                .isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }

    @Test
    void listAndDescribeShowStatesMembersAndAssignments() {
        final JoinGroupResponseData a = stableMember("g");
        f.commit("simple", "", -1, "t", 0, 1);
        final ListGroupsResponseData all = await(f.coordinator.listGroups(new ListGroupsRequestData(), (short) 5));
        assertThat(all.groups()).extracting(ListGroupsResponseData.ListedGroup::groupId)
                .containsExactlyInAnyOrder("g", "simple");
        final ListGroupsResponseData stable = await(f.coordinator.listGroups(new ListGroupsRequestData()
                .setStatesFilter(List.of("stable")), (short) 4));
        assertThat(stable.groups()).singleElement().satisfies(g -> {
            assertThat(g.groupId()).isEqualTo("g");
            assertThat(g.protocolType()).isEqualTo("consumer");
            assertThat(g.groupState()).isEqualTo("Stable");
        });
        assertThat(await(f.coordinator.listGroups(new ListGroupsRequestData().setTypesFilter(List.of("consumer")),
                (short) 5)).groups()).isEmpty();

        final DescribeGroupsResponseData d = await(f.coordinator.describeGroups(List.of("g", "none"), (short) 6,
                true));
        final DescribeGroupsResponseData.DescribedGroup g = d.groups().get(0);
        assertThat(g.groupState()).isEqualTo("Stable");
        assertThat(g.protocolData()).isEqualTo("range");
        assertThat(g.authorizedOperations()).isEqualTo(GroupCoordinator.GROUP_OPERATIONS);
        assertThat(g.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(a.memberId());
            assertThat(m.clientHost()).isEqualTo("/127.0.0.1");
            assertThat(m.memberAssignment()).isEqualTo(new byte[] {1});
            assertThat(ConsumerSubscription.topics(m.memberMetadata())).containsExactly("t");
        });
        assertThat(d.groups().get(1).groupState()).isEqualTo("Dead");
        assertThat(d.groups().get(1).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(await(f.coordinator.describeGroups(List.of("none"), (short) 5, false)).groups().get(0).errorCode())
                .isEqualTo(Errors.NONE.code());
    }

    @Test
    void malformedSubscriptionsYieldNoTopics() {
        assertThat(ConsumerSubscription.topics(new byte[0])).isEmpty();
        assertThat(ConsumerSubscription.topics(new byte[] {0, 0, 0x7f, 0, 0, 0, 0, 1})).isEmpty();
        assertThat(ConsumerSubscription.topics(new byte[] {0, 0, 0, 0, 0, 1, 0, 9, 'a'})).isEmpty();
    }
}

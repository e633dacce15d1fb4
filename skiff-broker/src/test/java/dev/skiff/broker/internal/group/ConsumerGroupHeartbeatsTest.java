package dev.skiff.broker.internal.group;

import static dev.skiff.broker.internal.group.GroupFixture.TOPIC_ID;
import static dev.skiff.broker.internal.group.GroupFixture.await;
import static dev.skiff.broker.internal.group.GroupFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ConsumerGroupDescribeResponseData;
import dev.skiff.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.skiff.protocol.message.ConsumerGroupHeartbeatResponseData;
import dev.skiff.protocol.message.JoinGroupResponseData;
import dev.skiff.protocol.message.ListGroupsRequestData;
import dev.skiff.protocol.message.ListGroupsResponseData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ConsumerGroupHeartbeat (KIP-848) through the coordinator, with a manual clock and topic "t" of 4 partitions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerGroupHeartbeatsTest {
    private static final String G = "cg";
    private static final int SESSION_MS = ConsumerGroupConfig.defaults().sessionTimeoutMs();

    @TempDir
    Path dir;
    private GroupFixture f;

    @BeforeEach
    void setUp() {
        f = new GroupFixture(dir, GroupConfig.defaults().withInitialRebalanceDelayMs(0));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private ConsumerGroupHeartbeatResponseData hb(ConsumerGroupHeartbeatRequestData r) {
        return await(f.coordinator.consumerGroupHeartbeat(r.setGroupId(G), (short) 1, "client", "/127.0.0.1"));
    }

    private ConsumerGroupHeartbeatResponseData joinAs(String memberId) {
        return hb(new ConsumerGroupHeartbeatRequestData().setMemberId(memberId).setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000).setSubscribedTopicNames(List.of("t")).setTopicPartitions(List.of()));
    }

    private ConsumerGroupHeartbeatResponseData beat(String memberId, int epoch, List<Integer> owned) {
        final ConsumerGroupHeartbeatRequestData r = new ConsumerGroupHeartbeatRequestData().setMemberId(memberId)
                .setMemberEpoch(epoch);
        if (owned != null) {
            r.setTopicPartitions(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                    .setTopicId(TOPIC_ID).setPartitions(new ArrayList<>(owned))));
        }
        return hb(r);
    }

    /** A heartbeat whose answer may be held (a member waiting for partitions being revoked). */
    private CompletableFuture<ConsumerGroupHeartbeatResponseData> beatAsync(String memberId, int epoch) {
        return f.coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId(G)
                .setMemberId(memberId).setMemberEpoch(epoch), (short) 1, "client", "/127.0.0.1");
    }

    private static List<Integer> partitions(ConsumerGroupHeartbeatResponseData r) {
        final List<Integer> all = new ArrayList<>();
        for (ConsumerGroupHeartbeatResponseData.TopicPartitions tp : r.assignment().topicPartitions()) {
            assertThat(tp.topicId()).isEqualTo(TOPIC_ID);
            all.addAll(tp.partitions());
        }
        return all;
    }

    @Test
    void aSecondMemberGetsPartitionsOnlyAfterTheFirstRevokesThem() {
        final var a1 = joinAs("a");
        assertThat(a1.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(a1.memberEpoch()).isEqualTo(1);
        assertThat(a1.heartbeatIntervalMs()).isEqualTo(5_000);
        assertThat(partitions(a1)).containsExactly(0, 1, 2, 3);

        final var b1 = joinAs("b");
        assertThat(b1.memberEpoch()).isEqualTo(2);
        assertThat(partitions(b1)).as("everything is still owned by a").isEmpty();

        final var a2 = beat("a", 1, List.of(0, 1, 2, 3));
        assertThat(a2.memberEpoch()).as("a keeps its epoch until it revokes").isEqualTo(1);
        final List<Integer> aKeeps = partitions(a2);
        assertThat(aKeeps).hasSize(2);

        // Nothing released yet: b's answer is held until a acknowledges its revocation, then carries what a
        // gave up, so b does not wait for its next heartbeat.
        final CompletableFuture<ConsumerGroupHeartbeatResponseData> b2 = beatAsync("b", 2);
        assertThat(b2).as("held while a revokes").isNotDone();

        final var a3 = beat("a", 1, aKeeps);
        assertThat(a3.memberEpoch()).isEqualTo(2);
        assertThat(a3.assignment()).isNull();

        final Set<Integer> bGets = new HashSet<>(partitions(await(b2)));
        assertThat(bGets).hasSize(2).doesNotContainAnyElementsOf(aKeeps);
        assertThat(beat("b", 2, null).assignment()).as("nothing new at b's next heartbeat").isNull();

        final ConsumerGroupDescribeResponseData.DescribedGroup d =
                await(f.coordinator.consumerGroupDescribe(List.of(G), false)).get(0);
        assertThat(d.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(d.groupState()).isEqualTo("Stable");
        assertThat(d.groupEpoch()).isEqualTo(2);
        assertThat(d.assignorName()).isEqualTo("uniform");
        assertThat(d.members()).hasSize(2);
    }

    @Test
    void fencingAndUnknownMembersGetKafkasErrors() {
        joinAs("a");
        assertThat(beat("a", 7, null).errorCode()).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
        assertThat(beat("nobody", 1, null).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(hb(new ConsumerGroupHeartbeatRequestData().setMemberId("c").setMemberEpoch(0)
                .setSubscribedTopicNames(List.of("t")).setTopicPartitions(List.of())).errorCode())
                .as("no rebalance timeout on join").isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(hb(new ConsumerGroupHeartbeatRequestData().setMemberId("c").setMemberEpoch(0)
                .setRebalanceTimeoutMs(1).setSubscribedTopicNames(List.of("t")).setTopicPartitions(List.of())
                .setServerAssignor("sticky")).errorCode()).isEqualTo(Errors.UNSUPPORTED_ASSIGNOR.code());
    }

    @Test
    void anExpiredMembersPartitionsGoToTheOthers() {
        joinAs("a");
        joinAs("b");
        final var a = beat("a", 1, List.of(0, 1, 2, 3));
        beat("a", 1, partitions(a));
        f.scheduler.advance(SESSION_MS - 1_000);
        assertThat(beat("a", 2, null).errorCode()).isEqualTo(Errors.NONE.code());
        f.scheduler.advance(2_000);
        final var later = beat("a", 2, null);
        assertThat(later.memberEpoch()).isEqualTo(3);
        assertThat(partitions(later)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void leavingBumpsTheGroupEpochAndFreesThePartitions() {
        joinAs("a");
        final var left = hb(new ConsumerGroupHeartbeatRequestData().setMemberId("a").setMemberEpoch(-1));
        assertThat(left.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(left.memberEpoch()).isEqualTo(-1);
        final var b = joinAs("b");
        assertThat(b.memberEpoch()).isEqualTo(3);
        assertThat(partitions(b)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void offsetCommitsAreCheckedAgainstTheMemberEpoch() {
        joinAs("a");
        assertThat(f.commit(G, "a", 0, "t", 0, 5).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.STALE_MEMBER_EPOCH.code());
        assertThat(f.commit(G, "x", 1, "t", 0, 5).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(f.commit(G, "a", 1, "t", 0, 5).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.NONE.code());
        assertThat(f.committed(G, "t", 0).offset()).isEqualTo(5);
        assertThat(await(f.coordinator.fetchOffsets(G, "a", 0, null)).error()).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(await(f.coordinator.fetchOffsets(G, "a", 1, null)).offsets()).containsKey("t");
        assertThat(await(f.coordinator.fetchOffsets(G, null, -1, null)).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void classicAndConsumerMembersDoNotMix() {
        joinAs("a");
        final JoinGroupResponseData classic = await(f.coordinator.joinGroup(join(G, "", null, "range"),
                (short) 9, "c", "/h"));
        assertThat(classic.errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());

        await(f.joinNew("classic-group", null, "range"));
        final var r = await(f.coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("classic-group").setMemberId("z").setMemberEpoch(0).setRebalanceTimeoutMs(1)
                .setSubscribedTopicNames(List.of("t")).setTopicPartitions(List.of()), (short) 1, "c", "/h"));
        assertThat(r.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }

    @Test
    void listGroupsShowsTheConsumerType() {
        joinAs("a");
        final ListGroupsResponseData consumers = await(f.coordinator.listGroups(
                new ListGroupsRequestData().setTypesFilter(List.of("consumer")), (short) 5));
        assertThat(consumers.groups()).extracting(ListGroupsResponseData.ListedGroup::groupId).containsExactly(G);
        assertThat(consumers.groups().get(0).groupType()).isEqualTo("consumer");
        assertThat(consumers.groups().get(0).groupState()).isEqualTo("Stable");
        final ListGroupsResponseData classic = await(f.coordinator.listGroups(
                new ListGroupsRequestData().setTypesFilter(List.of("classic")), (short) 5));
        assertThat(classic.groups()).isEmpty();
    }

    private ConsumerGroupDescribeResponseData.DescribedGroup describe() {
        return await(f.coordinator.consumerGroupDescribe(List.of(G), false)).get(0);
    }

    private long logEnd() {
        return f.logs.log(GroupLog.PARTITION).logEndOffset();
    }

    /** Two members reconciled to epoch 2, sharing topic t: a owns {@code aKeeps}, b the other two. */
    private List<Integer> twoStableMembers() {
        joinAs("a");
        joinAs("b");
        final List<Integer> aKeeps = partitions(beat("a", 1, List.of(0, 1, 2, 3)));
        beat("a", 1, aKeeps);
        beat("b", 2, null);
        assertThat(describe().groupState()).isEqualTo("Stable");
        return aKeeps;
    }

    @Test
    void afterARestartMembersCarryOnWithTheirEpochsAssignmentsAndCommits() {
        final List<Integer> aKeeps = twoStableMembers();
        assertThat(f.commit(G, "a", 2, "t", aKeeps.get(0), 42).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.NONE.code());
        final ConsumerGroupDescribeResponseData.DescribedGroup before = describe();

        f.restart();

        final ConsumerGroupDescribeResponseData.DescribedGroup after = describe();
        assertThat(after).as("epochs, members, assignments and targets restored").isEqualTo(before);
        final var a = beat("a", 2, aKeeps);
        assertThat(a.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(a.memberEpoch()).isEqualTo(2);
        final var b = beat("b", 2, null);
        assertThat(b.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(b.memberEpoch()).isEqualTo(2);
        assertThat(describe().groupEpoch()).as("no rebalance after the restart").isEqualTo(2);
        assertThat(f.commit(G, "a", 2, "t", aKeeps.get(0), 43).topics().get(0).partitions().get(0).errorCode())
                .as("a commit with the member epoch from before the restart").isEqualTo(Errors.NONE.code());
        assertThat(f.committed(G, "t", aKeeps.get(0)).offset()).isEqualTo(43);
        assertThat(await(f.coordinator.fetchOffsets(G, "b", 2, null)).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void aRestoredMemberThatNeverComesBackExpiresAfterTheSessionTimeout() {
        twoStableMembers();
        f.restart();
        assertThat(f.scheduler.pendingTimers()).as("restored sessions are timed").isPositive();
        f.scheduler.advance(SESSION_MS - 1_000);
        assertThat(beat("b", 2, null).errorCode()).isEqualTo(Errors.NONE.code());
        f.scheduler.advance(2_000);
        assertThat(describe().members()).extracting(ConsumerGroupDescribeResponseData.Member::memberId)
                .containsExactly("b");
        final var b = beat("b", 2, null);
        assertThat(b.memberEpoch()).isEqualTo(3);
        assertThat(partitions(b)).containsExactly(0, 1, 2, 3);
        assertThat(beat("a", 2, null).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());

        f.restart();
        assertThat(describe().members()).as("the expiry was persisted").hasSize(1);
        assertThat(describe().groupEpoch()).isEqualTo(3);
    }

    @Test
    void aMemberRestoredInTheMiddleOfARevocationFinishesIt() {
        joinAs("a");
        joinAs("b");
        final List<Integer> aKeeps = partitions(beat("a", 1, List.of(0, 1, 2, 3)));
        f.restart();
        final CompletableFuture<ConsumerGroupHeartbeatResponseData> b2 = beatAsync("b", 2);
        assertThat(b2).as("held: a has not revoked yet").isNotDone();
        assertThat(beat("a", 1, aKeeps).memberEpoch()).isEqualTo(2);
        final List<Integer> bGets = partitions(await(b2));
        assertThat(bGets).hasSize(2).doesNotContainAnyElementsOf(aKeeps);
    }

    @Test
    void plainHeartbeatsWriteNothingButChangesAreWritten() {
        final List<Integer> aKeeps = twoStableMembers();
        final long end = logEnd();
        beat("a", 2, aKeeps);
        beat("b", 2, null);
        beat("a", 2, null);
        assertThat(logEnd()).as("heartbeats that change nothing").isEqualTo(end);
        hb(new ConsumerGroupHeartbeatRequestData().setMemberId("a").setMemberEpoch(2)
                .setSubscribedTopicNames(List.of("t", "u")));
        assertThat(logEnd()).as("a new subscription").isEqualTo(end + 1);
    }

    @Test
    void aLeftStaticMemberIsStillReservedAfterARestart() {
        hb(new ConsumerGroupHeartbeatRequestData().setMemberId("s1").setInstanceId("i").setMemberEpoch(0)
                .setRebalanceTimeoutMs(1).setSubscribedTopicNames(List.of("t")).setTopicPartitions(List.of()));
        hb(new ConsumerGroupHeartbeatRequestData().setMemberId("s1").setInstanceId("i").setMemberEpoch(-2));
        f.restart();
        assertThat(partitions(joinAs("b"))).as("the static member's partitions are kept for it").isEmpty();
        final var back = hb(new ConsumerGroupHeartbeatRequestData().setMemberId("s2").setInstanceId("i")
                .setMemberEpoch(0).setRebalanceTimeoutMs(1).setSubscribedTopicNames(List.of("t"))
                .setTopicPartitions(List.of()));
        assertThat(back.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partitions(back)).isNotEmpty();
    }

    @Test
    void aDeletedGroupStaysDeletedAfterARestart() {
        joinAs("a");
        f.commit(G, "a", 1, "t", 2, 42);
        hb(new ConsumerGroupHeartbeatRequestData().setMemberId("a").setMemberEpoch(-1));
        f.restart();
        assertThat(describe().groupState()).as("an empty group is restored").isEqualTo("Empty");
        assertThat(describe().groupEpoch()).isEqualTo(2);
        assertThat(await(f.coordinator.deleteGroups(List.of(G))).results().get(0).errorCode())
                .isEqualTo(Errors.NONE.code());
        f.restart();
        assertThat(describe().errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(f.committed(G, "t", 2)).isNull();
    }

    @Test
    void anEmptyGroupWhoseOffsetsExpiredStaysGoneAfterARestart() {
        joinAs("a");
        f.commit(G, "a", 1, "t", 2, 42);
        hb(new ConsumerGroupHeartbeatRequestData().setMemberId("a").setMemberEpoch(-1));
        f.scheduler.advance(f.config.offsetsRetentionMs() + 1);
        await(f.coordinator.expireOffsets());
        assertThat(describe().errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        f.restart();
        assertThat(describe().errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }

    @Test
    void convertedGroupsComeBackAsTheirNewKindWithTheirOffsets() {
        final JoinGroupResponseData classic = await(f.joinNew(G, null, "range"));
        await(f.sync(G, classic, java.util.Map.of(classic.memberId(), new byte[0])));
        f.commit(G, classic.memberId(), classic.generationId(), "t", 1, 7);
        await(f.coordinator.leaveGroup(new dev.skiff.protocol.message.LeaveGroupRequestData().setGroupId(G)
                .setMembers(List.of(new dev.skiff.protocol.message.LeaveGroupRequestData.MemberIdentity()
                        .setMemberId(classic.memberId()))), (short) 3));
        assertThat(joinAs("a").errorCode()).isEqualTo(Errors.NONE.code());
        f.restart();
        assertThat(describe().members()).hasSize(1);
        assertThat(f.committed(G, "t", 1).offset()).as("offsets from the classic days").isEqualTo(7);

        hb(new ConsumerGroupHeartbeatRequestData().setMemberId("a").setMemberEpoch(-1));
        await(f.joinNew(G, null, "range"));
        f.restart();
        assertThat(describe().errorCode()).as("a classic group again").isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(f.state(G)).isNotNull();
        assertThat(f.committed(G, "t", 1).offset()).isEqualTo(7);
    }

    @Test
    void aStaticMemberThatLeavesTemporarilyKeepsItsPartitionsForItsReplacement() {
        hb(new ConsumerGroupHeartbeatRequestData().setMemberId("s1").setInstanceId("i").setMemberEpoch(0)
                .setRebalanceTimeoutMs(1).setSubscribedTopicNames(List.of("t")).setTopicPartitions(List.of()));
        final var left = hb(new ConsumerGroupHeartbeatRequestData().setMemberId("s1").setInstanceId("i")
                .setMemberEpoch(-2));
        assertThat(left.memberEpoch()).isEqualTo(-2);
        final var other = joinAs("b");
        assertThat(partitions(other)).as("the static member's partitions are kept for it").isEmpty();
        final var back = hb(new ConsumerGroupHeartbeatRequestData().setMemberId("s2").setInstanceId("i")
                .setMemberEpoch(0).setRebalanceTimeoutMs(1).setSubscribedTopicNames(List.of("t"))
                .setTopicPartitions(List.of()));
        assertThat(back.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partitions(back)).isNotEmpty();
        final var dup = hb(new ConsumerGroupHeartbeatRequestData().setMemberId("s3").setInstanceId("i")
                .setMemberEpoch(0).setRebalanceTimeoutMs(1).setSubscribedTopicNames(List.of("t"))
                .setTopicPartitions(List.of()));
        assertThat(dup.errorCode()).isEqualTo(Errors.UNRELEASED_INSTANCE_ID.code());
    }
}

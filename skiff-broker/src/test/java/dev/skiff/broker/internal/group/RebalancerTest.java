package dev.skiff.broker.internal.group;

import static dev.skiff.broker.internal.group.GroupFixture.REBALANCE_MS;
import static dev.skiff.broker.internal.group.GroupFixture.SESSION_MS;
import static dev.skiff.broker.internal.group.GroupFixture.await;
import static dev.skiff.broker.internal.group.GroupFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.JoinGroupResponseData;
import dev.skiff.protocol.message.LeaveGroupRequestData;
import dev.skiff.protocol.message.LeaveGroupResponseData;
import dev.skiff.protocol.message.SyncGroupResponseData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The classic group state machine, driven with a manual clock. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RebalancerTest {
    private static final int DELAY_MS = 3_000;
    private static final byte[] A1 = {1};
    private static final byte[] A2 = {2};
    private static final byte[] A3 = {3};

    @TempDir
    Path dir;

    private GroupFixture f;

    @BeforeEach
    void open() {
        f = new GroupFixture(dir, GroupConfig.defaults().withInitialRebalanceDelayMs(DELAY_MS));
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void firstJoinOfV4PlusGetsMemberIdRequired() {
        final JoinGroupResponseData r = await(f.join(join("g", "", null), 4));
        assertThat(r.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
        assertThat(r.memberId()).startsWith("client-");
        assertThat(f.state("g")).isEqualTo(GroupState.EMPTY);
    }

    @Test
    void joinBeforeV4IsAcceptedWithoutMemberId() {
        final CompletableFuture<JoinGroupResponseData> r = f.join(join("g", "", null), 3);
        f.scheduler.advance(DELAY_MS);
        assertThat(await(r).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(await(r).generationId()).isEqualTo(1);
    }

    @Test
    void membersJoiningDuringTheInitialDelayFormOneGenerationAndTheLeaderGetsTheirMetadata() {
        final CompletableFuture<JoinGroupResponseData> a = f.joinNew("g", null);
        f.scheduler.advance(1_000);
        final CompletableFuture<JoinGroupResponseData> b = f.joinNew("g", null);
        final CompletableFuture<JoinGroupResponseData> c = f.joinNew("g", null);
        f.scheduler.advance(DELAY_MS - 1_000);
        // A member joined during the delay, so it is extended once more.
        assertThat(a).isNotDone();
        f.scheduler.advance(DELAY_MS);
        assertThat(List.of(await(a), await(b), await(c))).allSatisfy(r -> {
            assertThat(r.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(r.generationId()).isEqualTo(1);
            assertThat(r.protocolName()).isEqualTo("range");
            assertThat(r.leader()).isEqualTo(await(a).memberId());
        });
        assertThat(await(a).members()).hasSize(3);
        assertThat(await(b).members()).isEmpty();
        assertThat(f.state("g")).isEqualTo(GroupState.COMPLETING_REBALANCE);

        final CompletableFuture<SyncGroupResponseData> sb = f.sync("g", await(b), Map.of());
        assertThat(sb).isNotDone();
        final SyncGroupResponseData sa = await(f.sync("g", await(a), Map.of(await(a).memberId(), A1,
                await(b).memberId(), A2, await(c).memberId(), A3)));
        assertThat(sa.assignment()).isEqualTo(A1);
        assertThat(await(sb).assignment()).isEqualTo(A2);
        assertThat(f.state("g")).isEqualTo(GroupState.STABLE);
        // The late follower gets its assignment from the Stable group.
        assertThat(await(f.sync("g", await(c), Map.of())).assignment()).isEqualTo(A3);
    }

    @Test
    void withoutInitialDelayTheFirstMemberCompletesTheJoinAtOnce() {
        f.close();
        f = new GroupFixture(dir, GroupConfig.defaults().withInitialRebalanceDelayMs(0));
        final JoinGroupResponseData a = await(f.joinNew("g", null));
        assertThat(a.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(a.generationId()).isEqualTo(1);
    }

    @Test
    void withoutInitialDelayJoinGroupsQueuedTogetherFormOneGeneration() {
        f.close();
        f = new GroupFixture(dir, GroupConfig.defaults().withInitialRebalanceDelayMs(0));
        final JoinGroupResponseData idA = await(f.join(GroupFixture.join("g", "", null), 9));
        final List<CompletableFuture<JoinGroupResponseData>> joins = new ArrayList<>();
        // Both JoinGroups are on the coordinator's queue before either is handled, as when an application's
        // members start together: the first generation must take both, not complete with the first alone
        // (b joins at v3, without KIP-394's member id round trip, so it is not a pending member).
        f.scheduler.execute(() -> {
            joins.add(f.join(GroupFixture.join("g", idA.memberId(), null), 9));
            joins.add(f.join(GroupFixture.join("g", "", null), 3));
        });
        assertThat(joins).hasSize(2);
        for (CompletableFuture<JoinGroupResponseData> j : joins) {
            assertThat(await(j).errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(await(j).generationId()).isEqualTo(1);
            if (await(j).leader().equals(await(j).memberId())) {
                assertThat(await(j).members()).as("the leader is told of both members").hasSize(2);
            }
        }
        assertThat(f.state("g")).isEqualTo(GroupState.COMPLETING_REBALANCE);
    }

    @Test
    void protocolWithMostVotesAmongCommonOnesIsSelected() {
        final CompletableFuture<JoinGroupResponseData> a = f.joinNew("g", null, "range", "roundrobin");
        final CompletableFuture<JoinGroupResponseData> b = f.joinNew("g", null, "roundrobin", "range");
        final CompletableFuture<JoinGroupResponseData> c = f.joinNew("g", null, "roundrobin", "sticky");
        f.scheduler.advance(REBALANCE_MS);
        assertThat(await(a).protocolName()).isEqualTo("roundrobin");
        assertThat(await(c).protocolName()).isEqualTo("roundrobin");
    }

    @Test
    void memberWithoutACommonProtocolOrTypeIsRejected() {
        f.joinNew("g", null, "range");
        final JoinGroupResponseData other = await(f.join(join("g", "", null, "sticky"), 9));
        assertThat(other.errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
        final JoinGroupResponseData noType = await(f.join(join("h", "", null).setProtocolType(""), 9));
        assertThat(noType.errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
        assertThat(f.state("h")).isNull();
    }

    @Test
    void sessionTimeoutOutsideTheBrokerRangeIsRejected() {
        final JoinGroupResponseData r = await(f.join(join("g", "", null).setSessionTimeoutMs(1_000), 9));
        assertThat(r.errorCode()).isEqualTo(Errors.INVALID_SESSION_TIMEOUT.code());
    }

    @Test
    void unknownMemberIdOnJoinSyncAndHeartbeat() {
        assertThat(await(f.join(join("g", "nobody", null), 9)).errorCode())
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        final JoinGroupResponseData a = stableGroupOfOne("g");
        assertThat(f.heartbeat("g", "nobody", a.generationId())).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(f.heartbeat("g", a.memberId(), a.generationId() + 1)).isEqualTo(Errors.ILLEGAL_GENERATION.code());
        assertThat(f.heartbeat("g", a.memberId(), a.generationId())).isEqualTo(Errors.NONE.code());
        assertThat(await(f.sync("g", new JoinGroupResponseData().setMemberId("nobody")
                .setGenerationId(a.generationId()).setProtocolName("range"), Map.of())).errorCode())
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(await(f.sync("g", new JoinGroupResponseData().setMemberId(a.memberId())
                .setGenerationId(7).setProtocolName("range"), Map.of())).errorCode())
                .isEqualTo(Errors.ILLEGAL_GENERATION.code());
        assertThat(await(f.sync("g", new JoinGroupResponseData().setMemberId(a.memberId())
                .setGenerationId(a.generationId()).setProtocolName("roundrobin"), Map.of())).errorCode())
                .isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
    }

    @Test
    void newMemberTriggersRebalanceSeenInHeartbeat() {
        final JoinGroupResponseData a = stableGroupOfOne("g");
        final CompletableFuture<JoinGroupResponseData> b = f.joinNew("g", null);
        assertThat(f.state("g")).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(f.heartbeat("g", a.memberId(), a.generationId())).isEqualTo(Errors.REBALANCE_IN_PROGRESS.code());
        final CompletableFuture<JoinGroupResponseData> a2 = f.join(join("g", a.memberId(), null), 9);
        assertThat(await(a2).generationId()).isEqualTo(a.generationId() + 1);
        assertThat(await(b).generationId()).isEqualTo(a.generationId() + 1);
        assertThat(await(a2).members()).hasSize(2);
    }

    @Test
    void memberWhoseSessionExpiresIsRemovedAndTheGroupRebalances() {
        final JoinGroupResponseData[] two = stableGroupOfTwo("g");
        final JoinGroupResponseData a = two[0];
        final JoinGroupResponseData b = two[1];
        f.scheduler.advance(SESSION_MS / 2);
        f.heartbeat("g", a.memberId(), a.generationId());
        f.scheduler.advance(SESSION_MS / 2 + 1);
        assertThat(f.state("g")).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(f.heartbeat("g", b.memberId(), b.generationId())).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        final JoinGroupResponseData a2 = await(f.join(join("g", a.memberId(), null), 9));
        assertThat(a2.generationId()).isEqualTo(a.generationId() + 1);
        assertThat(a2.members()).extracting(JoinGroupResponseData.JoinGroupResponseMember::memberId)
                .containsExactly(a.memberId());
    }

    @Test
    void memberThatDoesNotRejoinIsDroppedAtTheRebalanceTimeout() {
        final JoinGroupResponseData[] two = stableGroupOfTwo("g");
        final CompletableFuture<JoinGroupResponseData> a2 = f.join(join("g", two[0].memberId(), null), 9);
        assertThat(a2).isNotDone();
        // b keeps heartbeating but never rejoins.
        for (int i = 0; i < REBALANCE_MS / 3_000; i++) {
            f.scheduler.advance(3_000);
            f.heartbeat("g", two[1].memberId(), two[1].generationId());
        }
        f.scheduler.advance(1);
        assertThat(await(a2).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(await(a2).members()).hasSize(1);
    }

    @Test
    void leaderThatNeverSyncsDoesNotLeaveTheGroupStuck() {
        final CompletableFuture<JoinGroupResponseData> a = f.joinNew("g", null);
        final CompletableFuture<JoinGroupResponseData> b = f.joinNew("g", null);
        f.scheduler.advance(DELAY_MS * 2);
        final boolean aLeads = await(a).leader().equals(await(a).memberId());
        final JoinGroupResponseData leader = aLeads ? await(a) : await(b);
        final JoinGroupResponseData follower = aLeads ? await(b) : await(a);
        final CompletableFuture<SyncGroupResponseData> waiting = f.sync("g", follower, Map.of());
        // The leader heartbeats (alive) but never sends SyncGroup.
        for (int i = 0; i < REBALANCE_MS / 3_000; i++) {
            assertThat(f.heartbeat("g", leader.memberId(), leader.generationId())).isEqualTo(Errors.NONE.code());
            f.scheduler.advance(3_000);
        }
        // The leader is dropped; the follower is told to rejoin.
        assertThat(await(waiting).errorCode()).isEqualTo(Errors.REBALANCE_IN_PROGRESS.code());
        final JoinGroupResponseData again = await(f.join(join("g", follower.memberId(), null), 9));
        assertThat(again.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(again.leader()).isEqualTo(follower.memberId());
        assertThat(again.members()).hasSize(1);
    }

    @Test
    void pendingMemberIdThatIsNeverUsedDoesNotBlockTheRebalance() {
        final JoinGroupResponseData a = stableGroupOfOne("g");
        final JoinGroupResponseData required = await(f.join(join("g", "", null), 9));
        assertThat(required.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
        final CompletableFuture<JoinGroupResponseData> a2 = f.join(join("g", a.memberId(), null, "range", "x"), 9);
        assertThat(a2).isNotDone();
        f.scheduler.advance(SESSION_MS);
        assertThat(await(a2).errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void staticMemberRejoinsAStableGroupWithoutRebalance() {
        final CompletableFuture<JoinGroupResponseData> a = f.joinNew("g", "instance-a");
        final CompletableFuture<JoinGroupResponseData> b = f.joinNew("g", "instance-b");
        f.scheduler.advance(DELAY_MS * 2);
        final JoinGroupResponseData leader = await(a);
        await(f.sync("g", leader, Map.of(leader.memberId(), A1, await(b).memberId(), A2)));
        await(f.sync("g", await(b), Map.of()));
        final int generation = leader.generationId();

        // b restarts: same instance id, no member id.
        final JoinGroupResponseData b2 = await(f.join(join("g", "", "instance-b"), 9));
        assertThat(b2.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(b2.generationId()).isEqualTo(generation);
        assertThat(b2.memberId()).isNotEqualTo(await(b).memberId()).startsWith("instance-b-");
        assertThat(b2.skipAssignment()).isFalse();
        assertThat(f.state("g")).isEqualTo(GroupState.STABLE);
        assertThat(await(f.sync("g", b2, Map.of())).assignment()).isEqualTo(A2);
        // The old incarnation is fenced.
        assertThat(f.heartbeat("g", await(b).memberId(), "instance-b", generation))
                .isEqualTo(Errors.FENCED_INSTANCE_ID.code());
        assertThat(f.heartbeat("g", leader.memberId(), "instance-a", generation)).isEqualTo(Errors.NONE.code());

        // The leader restarts: v9 says skipAssignment and lists the members.
        final JoinGroupResponseData a2 = await(f.join(join("g", "", "instance-a"), 9));
        assertThat(a2.generationId()).isEqualTo(generation);
        assertThat(a2.skipAssignment()).isTrue();
        assertThat(a2.leader()).isEqualTo(a2.memberId());
        assertThat(a2.members()).hasSize(2);
    }

    @Test
    void staticMemberThatStopsIsRemovedWhenItsSessionExpires() {
        final CompletableFuture<JoinGroupResponseData> a = f.joinNew("g", "instance-a");
        f.scheduler.advance(DELAY_MS);
        await(f.sync("g", await(a), Map.of(await(a).memberId(), A1)));
        final CompletableFuture<JoinGroupResponseData> b = f.joinNew("g", null);
        assertThat(b).isNotDone();
        // a neither heartbeats nor rejoins: its session ends before the rebalance timeout.
        f.scheduler.advance(SESSION_MS + 1);
        assertThat(await(b).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(await(b).leader()).isEqualTo(await(b).memberId());
        assertThat(await(b).members()).hasSize(1);
        assertThat(f.heartbeat("g", await(a).memberId(), "instance-a", await(b).generationId()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void batchedLeaveRemovesMembersByIdAndByInstanceId() {
        final CompletableFuture<JoinGroupResponseData> a = f.joinNew("g", "instance-a");
        final CompletableFuture<JoinGroupResponseData> b = f.joinNew("g", null);
        f.scheduler.advance(DELAY_MS * 2);
        final LeaveGroupResponseData r = await(f.coordinator.leaveGroup(new LeaveGroupRequestData().setGroupId("g")
                .setMembers(List.of(
                        new LeaveGroupRequestData.MemberIdentity().setMemberId("").setGroupInstanceId("instance-a"),
                        new LeaveGroupRequestData.MemberIdentity().setMemberId(await(b).memberId()),
                        new LeaveGroupRequestData.MemberIdentity().setMemberId("nobody"))), (short) 5));
        assertThat(r.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(r.members()).extracting(LeaveGroupResponseData.MemberResponse::errorCode)
                .containsExactly(Errors.NONE.code(), Errors.NONE.code(), Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(f.state("g")).isEqualTo(GroupState.EMPTY);

        final LeaveGroupResponseData old = await(f.coordinator.leaveGroup(new LeaveGroupRequestData().setGroupId("g")
                .setMemberId("nobody"), (short) 2));
        assertThat(old.errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(old.members()).isEmpty();
    }

    @Test
    void leavingWhileAJoinIsParkedAnswersThatJoin() {
        final JoinGroupResponseData[] two = stableGroupOfTwo("g");
        final CompletableFuture<JoinGroupResponseData> parked = f.join(join("g", two[0].memberId(), null), 9);
        await(f.coordinator.leaveGroup(new LeaveGroupRequestData().setGroupId("g").setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId(two[0].memberId()))), (short) 5));
        assertThat(await(parked).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void lastMemberLeavingEmptiesTheGroupWithANewGeneration() {
        final JoinGroupResponseData a = stableGroupOfOne("g");
        await(f.coordinator.leaveGroup(new LeaveGroupRequestData().setGroupId("g").setMemberId(a.memberId()),
                (short) 0));
        assertThat(f.state("g")).isEqualTo(GroupState.EMPTY);
        assertThat(f.heartbeat("g", a.memberId(), a.generationId())).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    private JoinGroupResponseData stableGroupOfOne(String group) {
        final CompletableFuture<JoinGroupResponseData> a = f.joinNew(group, null);
        f.scheduler.advance(DELAY_MS);
        assertThat(await(a).errorCode()).isEqualTo(Errors.NONE.code());
        await(f.sync(group, await(a), Map.of(await(a).memberId(), A1)));
        assertThat(f.state(group)).isEqualTo(GroupState.STABLE);
        return await(a);
    }

    private JoinGroupResponseData[] stableGroupOfTwo(String group) {
        final CompletableFuture<JoinGroupResponseData> a = f.joinNew(group, null);
        final CompletableFuture<JoinGroupResponseData> b = f.joinNew(group, null);
        f.scheduler.advance(DELAY_MS * 2);
        final JoinGroupResponseData leader = await(a).leader().equals(await(a).memberId()) ? await(a) : await(b);
        final JoinGroupResponseData follower = leader == await(a) ? await(b) : await(a);
        final CompletableFuture<SyncGroupResponseData> fs = f.sync(group, follower, Map.of());
        await(f.sync(group, leader, Map.of(leader.memberId(), A1, follower.memberId(), A2)));
        await(fs);
        assertThat(f.state(group)).isEqualTo(GroupState.STABLE);
        return new JoinGroupResponseData[] {leader, follower};
    }
}

package dev.skiff.broker.internal.group;

import static dev.skiff.broker.internal.group.GroupFixture.TWELVE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.skiff.protocol.message.ConsumerGroupHeartbeatResponseData;
import dev.skiff.storage.LogConfig;
import dev.skiff.storage.LogManager;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How long KIP-848 rebalances take in heartbeat intervals, with members that behave like kafka-clients'
 * consumer (group.protocol=consumer) on a manual clock: the rebalance steps of bench/group-bench.sh (12
 * partitions, range assignor, also uniform), where Kafka needs one heartbeat interval for a member joining two
 * and for one of three leaving.
 *
 * <p>A simulated member heartbeats every interval counted from its last heartbeat sent (the client restarts its
 * timer with every request) and never has two heartbeats in flight. When an answer carries an assignment that
 * differs from what it owns (or is its first), it revokes and takes partitions {@code ackDelayMs} later (its
 * rebalance callbacks) and acknowledges at once with its owned partitions. Requests go through the coordinator's
 * scheduler, so an answer given while another request is processed is acted on after it, as on the wire.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerGroupJoinTimelineTest {
    private static final String G = "timeline";
    private static final int INTERVAL = ConsumerGroupConfig.defaults().heartbeatIntervalMs();
    private static final int PARTITIONS = 12;

    @TempDir
    Path dir;
    private LogManager logs;
    private ManualScheduler scheduler;
    private ConsumerGroupHeartbeats heartbeats;
    private List<Member> watched = List.of();
    private long settledAt = -1;

    @BeforeEach
    void setUp() {
        logs = LogManager.open(dir, LogConfig.defaults(), Clock.systemUTC());
        scheduler = new ManualScheduler(1_000_000);
        heartbeats = new ConsumerGroupHeartbeats(new HashMap<>(), scheduler, ConsumerGroupConfig.defaults(),
                GroupFixture.catalog(), GroupLog.open(logs));
    }

    @AfterEach
    void tearDown() {
        scheduler.close();
        logs.close();
    }

    /** One consumer as the coordinator sees it. */
    private final class Member {
        final String id;
        final String assignor;
        long ackDelayMs;
        int epoch;
        Set<Integer> owned = new TreeSet<>();
        long nextBeatAt = Long.MAX_VALUE;
        /** Heartbeats sent because the interval ran out (not joins or acknowledgements). */
        int regularHeartbeats;
        int answers;
        boolean inFlight;
        boolean acknowledgedOnce;
        boolean left;

        Member(String id, String assignor) {
            this.id = id;
            this.assignor = assignor;
        }

        void join() {
            send(new ConsumerGroupHeartbeatRequestData().setMemberId(id).setMemberEpoch(0)
                    .setRebalanceTimeoutMs(30_000).setSubscribedTopicNames(List.of("twelve"))
                    .setServerAssignor(assignor).setTopicPartitions(List.of()));
        }

        void beat() {
            regularHeartbeats++;
            send(new ConsumerGroupHeartbeatRequestData().setMemberId(id).setMemberEpoch(epoch));
        }

        void leave() {
            left = true;
            nextBeatAt = Long.MAX_VALUE;
            setOwned(new TreeSet<>());
            scheduler.execute(() -> heartbeats.heartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId(G)
                    .setMemberId(id).setMemberEpoch(-1), (short) 1, "client", "/127.0.0.1", r -> answers++));
        }

        private void send(ConsumerGroupHeartbeatRequestData request) {
            inFlight = true;
            nextBeatAt = scheduler.nowMs() + INTERVAL;
            scheduler.execute(() -> heartbeats.heartbeat(request.setGroupId(G), (short) 1, "client",
                    "/127.0.0.1", this::onAnswer));
        }

        private void onAnswer(ConsumerGroupHeartbeatResponseData r) {
            inFlight = false;
            answers++;
            if (left) {
                return;
            }
            assertThat(r.errorCode()).as("%s: %s", id, r.errorMessage()).isEqualTo(Errors.NONE.code());
            epoch = r.memberEpoch();
            if (r.assignment() == null) {
                return;
            }
            final Set<Integer> assigned = new TreeSet<>();
            for (ConsumerGroupHeartbeatResponseData.TopicPartitions tp : r.assignment().topicPartitions()) {
                assertThat(tp.topicId()).isEqualTo(TWELVE_ID);
                assigned.addAll(tp.partitions());
            }
            if (!assigned.equals(owned) || !acknowledgedOnce) {
                acknowledgedOnce = true;
                if (ackDelayMs == 0) {
                    acknowledge(assigned);
                } else {
                    scheduler.schedule(() -> acknowledge(assigned), ackDelayMs);
                }
            }
        }

        private void acknowledge(Set<Integer> assigned) {
            setOwned(assigned);
            send(new ConsumerGroupHeartbeatRequestData().setMemberId(id).setMemberEpoch(epoch)
                    .setTopicPartitions(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                            .setTopicId(TWELVE_ID).setPartitions(new ArrayList<>(owned)))));
        }

        private void setOwned(Set<Integer> partitions) {
            owned = partitions;
            if (settledAt < 0 && settled(watched)) {
                settledAt = scheduler.nowMs();
            }
        }
    }

    /** What group-bench.sh waits for: every member owns partitions, all of them once, counts within one. */
    private static boolean settled(List<Member> members) {
        if (members.isEmpty()) {
            return false;
        }
        final Set<Integer> all = new HashSet<>();
        int total = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (Member m : members) {
            all.addAll(m.owned);
            total += m.owned.size();
            min = Math.min(min, m.owned.size());
            max = Math.max(max, m.owned.size());
        }
        return min > 0 && max - min <= 1 && total == PARTITIONS && all.size() == PARTITIONS;
    }

    private void watch(List<Member> members) {
        watched = members;
        settledAt = settled(members) ? scheduler.nowMs() : -1;
    }

    /** Lets the members heartbeat on their own timers until the watched ones settle; returns when they did. */
    private long runUntilSettled(List<Member> members, long deadline) {
        while (settledAt < 0) {
            final Member next = nextToBeat(members);
            assertThat(next != null && next.nextBeatAt <= deadline).as("settled by %d; owned: %s", deadline,
                    describe(members)).isTrue();
            step(next);
        }
        return settledAt;
    }

    /** Lets the members heartbeat on their own timers up to {@code until}. */
    private void runUntil(List<Member> members, long until) {
        Member next = nextToBeat(members);
        while (next != null && next.nextBeatAt <= until) {
            step(next);
            next = nextToBeat(members);
        }
        scheduler.advance(Math.max(0, until - scheduler.nowMs()));
    }

    private static Member nextToBeat(List<Member> members) {
        Member next = null;
        for (Member m : members) {
            if (!m.left && !m.inFlight && (next == null || m.nextBeatAt < next.nextBeatAt)) {
                next = m;
            }
        }
        return next;
    }

    /** Advances the clock to {@code next}'s heartbeat (running what falls due before) and sends it if still due. */
    private void step(Member next) {
        scheduler.advance(Math.max(0, next.nextBeatAt - scheduler.nowMs()));
        if (settledAt < 0 && !next.inFlight && next.nextBeatAt <= scheduler.nowMs()) {
            next.beat();
        }
    }

    private static String describe(List<Member> members) {
        final StringBuilder s = new StringBuilder();
        for (Member m : members) {
            s.append(m.id).append('=').append(m.owned).append(' ');
        }
        return s.toString();
    }

    /** Members "m-b" and "m-d" sharing the 12 partitions six each, reconciled and quiet. */
    private List<Member> twoStableMembers(String assignor) {
        final Member a = new Member("m-b", assignor);
        final Member b = new Member("m-d", assignor);
        final List<Member> two = List.of(a, b);
        watch(two);
        a.join();
        b.join();
        runUntilSettled(two, scheduler.nowMs() + 4L * INTERVAL);
        assertThat(a.owned).hasSize(6);
        assertThat(b.owned).hasSize(6);
        return two;
    }

    @ParameterizedTest(name = "{0}: new member {1}, first heartbeats of the others after {2} and {3} ms")
    @CsvSource({
        "range, m-a, 1000, 3000", "range, m-a, 3000, 1000", "range, m-a, 10, 4990",
        "range, m-c, 1000, 3000", "range, m-c, 3000, 1000",
        "range, m-e, 1000, 3000", "range, m-e, 3000, 1000", "range, m-e, 4990, 10",
        "uniform, m-a, 1000, 3000", "uniform, m-a, 3000, 1000",
        "uniform, m-e, 1000, 3000", "uniform, m-e, 3000, 1000"})
    void aMemberJoiningTwoOwnsItsShareAtItsFirstRegularHeartbeat(String assignor, String newId, long firstA,
                                                                 long firstB) {
        final List<Member> old = twoStableMembers(assignor);
        scheduler.advance(INTERVAL);
        final long t0 = scheduler.nowMs();
        old.get(0).nextBeatAt = t0 + firstA;
        old.get(1).nextBeatAt = t0 + firstB;
        final Member c = new Member(newId, assignor);
        final List<Member> all = List.of(old.get(0), old.get(1), c);
        watch(all);
        c.join();
        assertThat(c.owned).as("everything is still owned by the others").isEmpty();

        final long settled = runUntilSettled(all, t0 + 4L * INTERVAL);

        assertThat(settled - t0).as("one heartbeat interval, as on Kafka; owned: %s", describe(all))
                .isEqualTo(INTERVAL);
        assertThat(c.regularHeartbeats).as("the answer to its first regular heartbeat gave them").isEqualTo(1);
        assertThat(c.owned).hasSize(4);
        for (Member m : old) {
            assertThat(m.owned).as("%s keeps part of what it had and only gives up partitions", m.id).hasSize(4);
        }
    }

    /**
     * group-bench.sh's join: the new member joins right after the previous rebalance, so the old members' regular
     * heartbeats come just before its own, and their revocations (their callbacks) are still running when it
     * heartbeats. Its answer waits for them instead of sending it away for another interval.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"range", "uniform"})
    void aNewMemberHeartbeatingWhileTheOthersRevokeGetsTheirPartitionsWhenTheyAcknowledge(String assignor) {
        final long callbacksMs = 30;
        final List<Member> old = twoStableMembers(assignor);
        scheduler.advance(INTERVAL);
        final long t0 = scheduler.nowMs();
        final Member c = new Member("m-a", assignor);
        for (Member m : List.of(old.get(0), old.get(1), c)) {
            m.ackDelayMs = callbacksMs;
        }
        // c acknowledges its (empty) first assignment after its callbacks, which restarts its timer.
        final long cRegular = t0 + callbacksMs + INTERVAL;
        final long bRegular = cRegular - 10;
        old.get(0).nextBeatAt = cRegular - 30;
        old.get(1).nextBeatAt = bRegular;
        final List<Member> all = List.of(old.get(0), old.get(1), c);
        watch(all);
        c.join();

        final long settled = runUntilSettled(all, t0 + 4L * INTERVAL);

        assertThat(c.regularHeartbeats).as("its first regular heartbeat was answered with its share").isEqualTo(1);
        assertThat(settled).as("the last revocation is acknowledged, then c's callbacks run; owned: %s",
                describe(all)).isEqualTo(bRegular + callbacksMs + callbacksMs);
        assertThat(c.owned).hasSize(4);
    }

    @Test
    void aHeldAnswerIsSentAfterAtMostOneSecondWhenAnOwnerTakesLongToRevoke() {
        final List<Member> old = twoStableMembers("range");
        scheduler.advance(INTERVAL);
        final long t0 = scheduler.nowMs();
        final Member c = new Member("m-a", "range");
        final long slowCallbacksMs = 3_000;
        old.get(1).ackDelayMs = slowCallbacksMs;
        old.get(0).nextBeatAt = t0 + 1_000;
        old.get(1).nextBeatAt = t0 + 4_000;
        final List<Member> all = List.of(old.get(0), old.get(1), c);
        watch(all);
        c.join();
        runUntil(all, t0 + INTERVAL);
        assertThat(c.regularHeartbeats).isEqualTo(1);
        assertThat(c.inFlight).as("held while m-d revokes").isTrue();
        final int answers = c.answers;

        scheduler.advance(ConsumerGroupHeartbeats.MAX_HOLD_MS);

        assertThat(c.answers).as("answered when the hold ran out").isEqualTo(answers + 1);
        assertThat(c.owned).as("what m-b gave up").hasSize(2);
        assertThat(runUntilSettled(all, t0 + 4L * INTERVAL)).as("c's acknowledgement waited for m-d's")
                .isEqualTo(t0 + 4_000 + slowCallbacksMs);
        assertThat(c.regularHeartbeats).isEqualTo(1);
    }

    @Test
    void aMemberLeavingWhileItsAnswerIsHeldGetsItFirst() {
        final List<Member> old = twoStableMembers("range");
        scheduler.advance(INTERVAL);
        final Member c = new Member("m-a", "range");
        old.get(1).ackDelayMs = 3_000;
        c.join();
        old.get(1).beat();
        scheduler.advance(10);
        c.beat();
        assertThat(c.inFlight).isTrue();
        final int answersBefore = c.answers;

        c.leave();

        assertThat(c.answers).as("the held answer, then the leave's").isEqualTo(answersBefore + 2);
    }

    @ParameterizedTest(name = "{0}: leaving member {1}")
    @CsvSource({"range, m-a", "range, m-c", "range, m-e", "uniform, m-a", "uniform, m-e"})
    void theOthersOwnTheLeaversPartitionsAtTheirFirstRegularHeartbeat(String assignor, String leaverId) {
        final List<Member> old = twoStableMembers(assignor);
        final Member c = new Member(leaverId, assignor);
        final List<Member> three = List.of(old.get(0), old.get(1), c);
        watch(three);
        c.join();
        runUntilSettled(three, scheduler.nowMs() + 4L * INTERVAL);
        scheduler.advance(INTERVAL);
        final long t0 = scheduler.nowMs();
        old.get(0).nextBeatAt = t0 + 1000;
        old.get(1).nextBeatAt = t0 + 3000;
        watch(old);
        c.leave();

        final long settled = runUntilSettled(old, t0 + 4L * INTERVAL);

        assertThat(settled - t0).as("the later of the two regular heartbeats; owned: %s", describe(old))
                .isEqualTo(3000);
    }
}

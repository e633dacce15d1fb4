package dev.skiff.broker.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.FetchRequestData;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FetchSessionsTest {
    private static final short V12 = 12;
    private static final short V17 = 17;
    private static final UUID TOPIC = UUID.fromString("00000000-0000-0000-0000-00000000000a");

    private FetchSessionCache cache;
    private FetchSessions sessions;

    @BeforeEach
    void setUp() {
        cache = new FetchSessionCache(4, 1_000, new AtomicInteger(100)::getAndIncrement);
        sessions = new FetchSessions(cache);
    }

    private static FetchRequestData request(int sessionId, int epoch, int... partitionsAtOffset10) {
        final FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopic("t").setTopicId(TOPIC);
        for (int p : partitionsAtOffset10) {
            topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(p).setFetchOffset(10)
                    .setPartitionMaxBytes(1000).setCurrentLeaderEpoch(-1));
        }
        final List<FetchRequestData.FetchTopic> topics = new ArrayList<>();
        if (partitionsAtOffset10.length > 0) {
            topics.add(topic);
        }
        return new FetchRequestData().setSessionId(sessionId).setSessionEpoch(epoch).setTopics(topics);
    }

    private static List<Integer> indexes(FetchContext context) {
        final List<Integer> out = new ArrayList<>();
        synchronized (context.lock()) {
            for (SessionPartition p : context.partitions()) {
                out.add(p.key().partition());
            }
        }
        return out;
    }

    @Test
    void initialEpochCreatesASessionHoldingTheRequestedPartitions() {
        final FetchContext full = sessions.open(request(0, 0, 0, 1, 2), V17, 0);
        assertThat(full.error()).isEqualTo(Errors.NONE);
        assertThat(full.isIncremental()).isFalse();
        assertThat(full.sessionId()).isEqualTo(100);
        assertThat(indexes(full)).containsExactly(0, 1, 2);
        assertThat(full.session().expectedEpoch()).isEqualTo(1);
        assertThat(full.session().usesTopicIds()).isTrue();
    }

    @Test
    void finalEpochIsSessionlessAndClosesTheNamedSession() {
        final int id = sessions.open(request(0, 0, 0), V17, 0).sessionId();
        final FetchContext sessionless = sessions.open(request(id, -1, 0), V17, 0);
        assertThat(sessionless.sessionId()).isZero();
        assertThat(indexes(sessionless)).containsExactly(0);
        assertThat(cache.size()).isZero();
        assertThat(sessions.open(request(id, 1), V17, 0).error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
    }

    @Test
    void initialEpochWithASessionIdReplacesThatSession() {
        final int first = sessions.open(request(0, 0, 0), V17, 0).sessionId();
        final int second = sessions.open(request(first, 0, 1), V17, 0).sessionId();
        assertThat(second).isNotEqualTo(first).isNotZero();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void versionsBeforeSevenAreSessionless() {
        final FetchContext context = sessions.open(request(0, 0, 0), (short) 6, 0);
        assertThat(context.sessionId()).isZero();
        assertThat(cache.size()).isZero();
    }

    @Test
    void unknownSessionAndWrongEpochAreRefusedWithoutChangingTheSession() {
        assertThat(sessions.open(request(4242, 1), V17, 0).error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        final int id = sessions.open(request(0, 0, 0, 1), V17, 0).sessionId();
        assertThat(sessions.open(request(id, 2, 5), V17, 0).error()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        assertThat(sessions.open(request(id, -2), V17, 0).error()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        final FetchContext next = sessions.open(request(id, 1), V17, 0);
        assertThat(next.error()).isEqualTo(Errors.NONE);
        assertThat(indexes(next)).as("partition 5 of the refused request was not added").containsExactly(0, 1);
        assertThat(sessions.open(request(id, 1), V17, 0).error())
                .as("epoch 1 was used").isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        assertThat(sessions.open(request(id, 2), V17, 0).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void switchingBetweenTopicNamesAndIdsIsRefused() {
        final int id = sessions.open(request(0, 0, 0), V12, 0).sessionId();
        assertThat(sessions.open(request(id, 1), V17, 0).error()).isEqualTo(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
    }

    @Test
    void incrementalRequestAddsUpdatesAndForgetsPartitions() {
        final int id = sessions.open(request(0, 0, 0, 1), V12, 0).sessionId();
        final FetchRequestData incremental = request(id, 1, 2);
        incremental.topics().get(0).partitions().add(new FetchRequestData.FetchPartition().setPartition(1)
                .setFetchOffset(55).setPartitionMaxBytes(7).setCurrentLeaderEpoch(-1));
        incremental.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopic("t")
                .setPartitions(new ArrayList<>(List.of(0, 9))));
        final FetchContext context = sessions.open(incremental, V12, 0);
        assertThat(context.isIncremental()).isTrue();
        assertThat(indexes(context)).containsExactly(1, 2);
        final SessionPartition one = context.session().partition(new FetchKey("t", null, 1));
        assertThat(one.fetchOffset()).isEqualTo(55);
        assertThat(one.maxBytes()).isEqualTo(7);
    }

    @Test
    void incrementalResponseCarriesOnlyWhatChanged() {
        final FetchContext full = sessions.open(request(0, 0, 0), V17, 0);
        final SessionPartition p;
        synchronized (full.lock()) {
            p = full.partitions().iterator().next();
        }
        assertThat(full.mustSend(p, (short) 0, 0, 10, 10, 0)).as("a full fetch carries everything").isTrue();
        full.sent(p, (short) 0, 0, 10, 10, 0);

        final FetchContext inc = sessions.open(request(full.sessionId(), 1), V17, 0);
        assertThat(inc.mustSend(p, (short) 0, 0, 10, 10, 0)).as("nothing changed").isFalse();
        assertThat(inc.mustSend(p, (short) 0, 50, 10, 10, 0)).as("records").isTrue();
        assertThat(inc.mustSend(p, (short) 0, 0, 11, 10, 0)).as("high watermark").isTrue();
        assertThat(inc.mustSend(p, (short) 0, 0, 10, 11, 0)).as("last stable offset").isTrue();
        assertThat(inc.mustSend(p, (short) 0, 0, 10, 10, 3)).as("log start offset").isTrue();
        assertThat(inc.mustSend(p, Errors.UNKNOWN_TOPIC_ID.code(), 0, -1, -1, -1)).as("error").isTrue();

        inc.sent(p, Errors.UNKNOWN_TOPIC_ID.code(), 0, -1, -1, -1);
        assertThat(inc.mustSend(p, (short) 0, 0, 10, 10, 0)).as("first healthy answer after an error").isTrue();
    }

    @Test
    void partitionThatReturnedRecordsMovesBehindTheOthers() {
        final FetchContext full = sessions.open(request(0, 0, 0, 1, 2), V17, 0);
        final FetchContext inc = sessions.open(request(full.sessionId(), 1), V17, 0);
        final SessionPartition first = inc.session().partition(new FetchKey(null, TOPIC, 0));
        inc.sent(first, (short) 0, 100, 20, 20, 0);
        assertThat(indexes(sessions.open(request(full.sessionId(), 2), V17, 0))).containsExactly(1, 2, 0);
    }

    @Test
    void sessionsBeyondThePartitionLimitAreNotKept() {
        final int[] many = new int[FetchSessions.MAX_PARTITIONS_PER_SESSION + 1];
        for (int i = 0; i < many.length; i++) {
            many[i] = i;
        }
        assertThat(sessions.open(request(0, 0, many), V17, 0).sessionId()).as("too big: sessionless").isZero();

        final int id = sessions.open(request(0, 0, 0), V17, 0).sessionId();
        assertThat(sessions.open(request(id, 1, many), V17, 0).error())
                .as("growing past the limit closes the session").isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        assertThat(cache.size()).isZero();
    }

    @Test
    void fullCacheAnswersSessionless() {
        for (int i = 0; i < 4; i++) {
            assertThat(sessions.open(request(0, 0, 0), V17, 0).sessionId()).isNotZero();
        }
        assertThat(sessions.open(request(0, 0, 0), V17, 10).sessionId()).isZero();
        assertThat(sessions.open(request(0, 0, 0), V17, 1_000).sessionId()).as("oldest evicted").isNotZero();
    }
}

package dev.skiff.broker.internal.fetch;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.FetchRequestData;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Fetch request's session fields into a {@link FetchContext}, following KIP-227:
 *
 * <pre>
 *   version   session id   epoch    meaning
 *   4-6       -            -        sessionless full fetch
 *   7+        any          -1       sessionless full fetch; closes session {id} if non-zero
 *   7+        any           0       full fetch that creates a session (closing {id} if non-zero);
 *                                   sessionless when the cache has no room
 *   7+        id           &gt;0       incremental fetch on session {id}: FETCH_SESSION_ID_NOT_FOUND if unknown,
 *                                   INVALID_FETCH_SESSION_EPOCH if not the expected epoch,
 *                                   FETCH_SESSION_TOPIC_ID_ERROR if it switches between names and ids;
 *                                   else add/update the request's partitions, drop the forgotten ones
 * </pre>
 *
 * <p>A session holds at most {@link #MAX_PARTITIONS_PER_SESSION} partitions, so the memory held by the cache
 * is bounded by slots times that: a full fetch naming more is answered sessionless, and an incremental fetch
 * that would grow a session beyond it closes the session (FETCH_SESSION_ID_NOT_FOUND; the client starts over
 * with a full fetch).
 */
public final class FetchSessions {
    /** Epoch of a full fetch that asks for a new session. */
    public static final int INITIAL_EPOCH = 0;
    /** Epoch of a sessionless full fetch (and of a client closing its session). */
    public static final int FINAL_EPOCH = -1;
    /** Largest session; more partitions than this are fetched sessionless. */
    public static final int MAX_PARTITIONS_PER_SESSION = 10_000;

    private final FetchSessionCache cache;

    public FetchSessions(FetchSessionCache cache) {
        this.cache = cache;
    }

    public FetchSessionCache cache() {
        return cache;
    }

    /** Decides how {@code request}, of {@code version}, is served; may create, close or change a session. */
    public FetchContext open(FetchRequestData request, short version, long nowMs) {
        final boolean usesTopicIds = version >= 13;
        if (version < 7) {
            return FetchContext.full(null, requested(request, usesTopicIds), usesTopicIds);
        }
        final int id = request.sessionId();
        final int epoch = request.sessionEpoch();
        if (epoch == FINAL_EPOCH || epoch == INITIAL_EPOCH) {
            if (id != 0) {
                cache.remove(id);
            }
            final List<SessionPartition> requested = requested(request, usesTopicIds);
            if (epoch == FINAL_EPOCH || requested.size() > MAX_PARTITIONS_PER_SESSION) {
                return FetchContext.full(null, requested, usesTopicIds);
            }
            final FetchSession session = cache.create(usesTopicIds, nowMs);
            if (session == null) {
                return FetchContext.full(null, requested, usesTopicIds);
            }
            // The session's own entries are what the response is recorded against; duplicates collapse.
            final List<SessionPartition> inSession = new ArrayList<>(requested.size());
            synchronized (session) {
                for (SessionPartition p : requested) {
                    final int before = session.size();
                    final SessionPartition entry = session.upsert(p.key(), p.fetchOffset(),
                            p.clientLogStartOffset(), p.maxBytes(), p.currentLeaderEpoch());
                    if (session.size() > before) {
                        inSession.add(entry);
                    }
                }
            }
            return FetchContext.full(session, inSession, usesTopicIds);
        }
        if (epoch < FINAL_EPOCH) {
            return FetchContext.error(Errors.INVALID_FETCH_SESSION_EPOCH);
        }
        final FetchSession session = cache.get(id, nowMs);
        if (session == null) {
            return FetchContext.error(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        synchronized (session) {
            if (session.usesTopicIds() != usesTopicIds) {
                return FetchContext.error(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
            }
            final Errors epochError = session.acceptEpoch(epoch);
            if (epochError != Errors.NONE) {
                return FetchContext.error(epochError);
            }
            for (FetchRequestData.FetchTopic t : request.topics()) {
                for (FetchRequestData.FetchPartition p : t.partitions()) {
                    session.upsert(FetchKey.of(usesTopicIds, t.topic(), t.topicId(), p.partition()),
                            p.fetchOffset(), p.logStartOffset(), p.partitionMaxBytes(), p.currentLeaderEpoch());
                }
            }
            for (FetchRequestData.ForgottenTopic t : request.forgottenTopicsData()) {
                for (Integer partition : t.partitions()) {
                    session.forget(FetchKey.of(usesTopicIds, t.topic(), t.topicId(), partition));
                }
            }
            if (session.size() > MAX_PARTITIONS_PER_SESSION) {
                cache.remove(id);
                return FetchContext.error(Errors.FETCH_SESSION_ID_NOT_FOUND);
            }
        }
        return FetchContext.incremental(session);
    }

    private static List<SessionPartition> requested(FetchRequestData request, boolean usesTopicIds) {
        final List<SessionPartition> out = new ArrayList<>();
        for (FetchRequestData.FetchTopic t : request.topics()) {
            for (FetchRequestData.FetchPartition p : t.partitions()) {
                out.add(new SessionPartition(FetchKey.of(usesTopicIds, t.topic(), t.topicId(), p.partition()),
                        p.fetchOffset(), p.logStartOffset(), p.partitionMaxBytes(), p.currentLeaderEpoch()));
            }
        }
        return out;
    }
}

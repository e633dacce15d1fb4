package dev.skiff.broker.internal.fetch;

import dev.skiff.protocol.Errors;
import java.util.Collection;
import java.util.List;

/**
 * What one Fetch request reads and how its answer is shaped, decided by {@link FetchSessions#open}:
 *
 * <pre>
 *   kind          partitions read            response carries              session id in response
 *   error         none                       top-level error only          0
 *   full          the request's, in order    every one of them             new session's id, or 0
 *   incremental   the session's, in order    only those that changed       the session's id
 * </pre>
 *
 * <p>Read {@link #partitions()} and call {@link #mustSend} while holding {@link #lock()}: an incremental
 * fetch reads its session's live partitions, which another request of the same client could change. Once the
 * response is final, {@link #sent} records it in the session, so the next incremental answer can leave out
 * what the client already knows.
 */
public final class FetchContext {
    private final Errors error;
    private final FetchSession session;
    private final List<SessionPartition> requested;
    private final boolean usesTopicIds;

    private FetchContext(Errors error, FetchSession session, List<SessionPartition> requested,
                         boolean usesTopicIds) {
        this.error = error;
        this.session = session;
        this.requested = requested;
        this.usesTopicIds = usesTopicIds;
    }

    static FetchContext error(Errors error) {
        return new FetchContext(error, null, List.of(), false);
    }

    /** A full fetch of {@code requested}; {@code session} is the one it created, or null (sessionless). */
    static FetchContext full(FetchSession session, List<SessionPartition> requested, boolean usesTopicIds) {
        return new FetchContext(Errors.NONE, session, requested, usesTopicIds);
    }

    static FetchContext incremental(FetchSession session) {
        return new FetchContext(Errors.NONE, session, null, session.usesTopicIds());
    }

    /** NONE, or the top-level error to answer with (FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH...). */
    public Errors error() {
        return error;
    }

    /** The session id to put in the response: 0 when the fetch is sessionless. */
    public int sessionId() {
        return session == null ? 0 : session.id();
    }

    public FetchSession session() {
        return session;
    }

    public boolean isIncremental() {
        return requested == null;
    }

    /** Whether partitions are named by topic id (Fetch v13+). */
    public boolean usesTopicIds() {
        return usesTopicIds;
    }

    /** The monitor to hold while reading {@link #partitions()}: the session's, else this context's own. */
    public Object lock() {
        return session != null ? session : this;
    }

    /** The partitions to read, in fetch order; hold {@link #lock()}. */
    public Collection<SessionPartition> partitions() {
        return requested != null ? requested : session.partitions();
    }

    /** Whether the response must carry this partition: always in a full fetch, if changed in an incremental. */
    public boolean mustSend(SessionPartition p, short errorCode, int recordBytes, long highWatermark,
                            long lastStableOffset, long logStartOffset) {
        return !isIncremental() || p.mustSend(errorCode, recordBytes, highWatermark, lastStableOffset,
                logStartOffset);
    }

    /**
     * Records that the final response carried {@code p} with these values; a partition of an incremental
     * fetch that returned records moves behind the others. Takes {@link #lock()} itself.
     */
    public void sent(SessionPartition p, short errorCode, int recordBytes, long highWatermark,
                     long lastStableOffset, long logStartOffset) {
        if (session == null) {
            return;
        }
        synchronized (session) {
            p.sent(errorCode, highWatermark, lastStableOffset, logStartOffset);
            if (recordBytes > 0 && isIncremental()) {
                session.moveToEnd(p);
            }
        }
    }
}

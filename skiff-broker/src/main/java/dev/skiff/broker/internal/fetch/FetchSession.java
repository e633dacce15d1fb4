package dev.skiff.broker.internal.fetch;

import dev.skiff.protocol.Errors;
import java.util.Collection;
import java.util.LinkedHashMap;

/**
 * An incremental fetch session (KIP-227): the partitions one client fetches from this broker, so that its
 * next requests name only what changed and the responses carry only what changed.
 *
 * <p>The client numbers its requests: the full fetch that created the session is epoch 0, then 1, 2, ...
 * (after {@link Integer#MAX_VALUE} comes 1 again). A request with another epoch is refused with
 * INVALID_FETCH_SESSION_EPOCH and changes nothing, so a client that lost a response can start over.
 *
 * <p>Partitions keep the order they were added in; a partition that returned records moves to the end, so
 * when the response size limit cuts a fetch short, the other partitions come first next time.
 *
 * <p>Thread-safety: connections are served by several event loops and a client may reconnect to another
 * one, so every access holds this object's monitor. {@link #partitions()} is a live view: iterate it while
 * synchronized on the session. The cache's bookkeeping ({@link #lastUsedMs}) is guarded by the cache.
 */
public final class FetchSession {
    private final int id;
    private final boolean usesTopicIds;
    private final LinkedHashMap<FetchKey, SessionPartition> partitions = new LinkedHashMap<>();
    private int expectedEpoch = 1;
    /** Guarded by the owning {@link FetchSessionCache}. */
    private long lastUsedMs;

    FetchSession(int id, boolean usesTopicIds, long nowMs) {
        this.id = id;
        this.usesTopicIds = usesTopicIds;
        this.lastUsedMs = nowMs;
    }

    public int id() {
        return id;
    }

    /** Whether partitions are named by topic id (created by Fetch v13+) or by topic name. */
    public boolean usesTopicIds() {
        return usesTopicIds;
    }

    /** The epoch the next incremental request must carry. */
    public synchronized int expectedEpoch() {
        return expectedEpoch;
    }

    /**
     * Accepts an incremental request's epoch: NONE (and the expected epoch moves on) if it is the expected
     * one, INVALID_FETCH_SESSION_EPOCH otherwise.
     */
    public synchronized Errors acceptEpoch(int epoch) {
        if (epoch != expectedEpoch) {
            return Errors.INVALID_FETCH_SESSION_EPOCH;
        }
        expectedEpoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
        return Errors.NONE;
    }

    /** Adds a partition, or takes a new fetch position for one already in the session; returns it. */
    public synchronized SessionPartition upsert(FetchKey key, long fetchOffset, long clientLogStartOffset,
                                                int maxBytes, int currentLeaderEpoch) {
        final SessionPartition existing = partitions.get(key);
        if (existing != null) {
            existing.update(fetchOffset, clientLogStartOffset, maxBytes, currentLeaderEpoch);
            return existing;
        }
        final SessionPartition added = new SessionPartition(key, fetchOffset, clientLogStartOffset, maxBytes,
                currentLeaderEpoch);
        partitions.put(key, added);
        return added;
    }

    /** Drops a partition the client no longer fetches; unknown keys are ignored, as Kafka does. */
    public synchronized void forget(FetchKey key) {
        partitions.remove(key);
    }

    /** Moves a partition that just returned records behind the others (fairness under byte limits). */
    public synchronized void moveToEnd(SessionPartition partition) {
        if (partitions.remove(partition.key()) != null) {
            partitions.put(partition.key(), partition);
        }
    }

    public synchronized SessionPartition partition(FetchKey key) {
        return partitions.get(key);
    }

    /** Live view in fetch order; hold this session's monitor while iterating. */
    public Collection<SessionPartition> partitions() {
        assert Thread.holdsLock(this) : "iterate a session's partitions while synchronized on it";
        return partitions.values();
    }

    public synchronized int size() {
        return partitions.size();
    }

    long lastUsedMs() {
        return lastUsedMs;
    }

    void lastUsedMs(long nowMs) {
        this.lastUsedMs = nowMs;
    }

    @Override
    public String toString() {
        return "FetchSession(" + id + ")";
    }
}

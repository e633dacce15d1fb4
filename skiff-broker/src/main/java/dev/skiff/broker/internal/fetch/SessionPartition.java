package dev.skiff.broker.internal.fetch;

/**
 * One partition of a fetch: what the client asked for (fetch offset, its log start offset, byte limit,
 * leader epoch) and, inside a session, what the broker last told the client about it (high watermark, last
 * stable offset, log start offset).
 *
 * <p>Why the "last sent" half exists: an incremental response (KIP-227) leaves out a partition the client
 * already knows everything about, so the broker must remember what it sent. A partition never sent, or whose
 * last answer was an error, remembers -1, which no healthy partition reports, so it is sent next time.
 *
 * <p>Not thread-safe on its own: a session's partitions are read and changed only while holding the
 * session's monitor (see {@link FetchContext#lock()}); a sessionless fetch's partitions belong to one request.
 */
public final class SessionPartition {
    /** Remembered for a partition never sent or last sent with an error. */
    static final long UNKNOWN = -1L;

    private final FetchKey key;
    private long fetchOffset;
    private long clientLogStartOffset;
    private int maxBytes;
    private int currentLeaderEpoch;
    private long sentHighWatermark = UNKNOWN;
    private long sentLastStableOffset = UNKNOWN;
    private long sentLogStartOffset = UNKNOWN;

    public SessionPartition(FetchKey key, long fetchOffset, long clientLogStartOffset, int maxBytes,
                            int currentLeaderEpoch) {
        this.key = key;
        update(fetchOffset, clientLogStartOffset, maxBytes, currentLeaderEpoch);
    }

    /** Takes the client's new fetch position and limits; what was sent stays remembered. */
    void update(long newFetchOffset, long newClientLogStartOffset, int newMaxBytes, int newCurrentLeaderEpoch) {
        this.fetchOffset = newFetchOffset;
        this.clientLogStartOffset = newClientLogStartOffset;
        this.maxBytes = newMaxBytes;
        this.currentLeaderEpoch = newCurrentLeaderEpoch;
    }

    public FetchKey key() {
        return key;
    }

    public long fetchOffset() {
        return fetchOffset;
    }

    public long clientLogStartOffset() {
        return clientLogStartOffset;
    }

    public int maxBytes() {
        return maxBytes;
    }

    public int currentLeaderEpoch() {
        return currentLeaderEpoch;
    }

    long sentHighWatermark() {
        return sentHighWatermark;
    }

    /**
     * Whether an incremental response must carry this partition: it has records or an error, or its high
     * watermark, last stable offset or log start offset differs from what the client was last told.
     */
    public boolean mustSend(short errorCode, int recordBytes, long highWatermark, long lastStableOffset,
                            long logStartOffset) {
        return recordBytes > 0 || errorCode != 0 || highWatermark != sentHighWatermark
                || lastStableOffset != sentLastStableOffset || logStartOffset != sentLogStartOffset;
    }

    /** Remembers what a response told the client; after an error, forgets, so the next answer is sent. */
    public void sent(short errorCode, long highWatermark, long lastStableOffset, long logStartOffset) {
        if (errorCode != 0) {
            sentHighWatermark = UNKNOWN;
            sentLastStableOffset = UNKNOWN;
            sentLogStartOffset = UNKNOWN;
        } else {
            sentHighWatermark = highWatermark;
            sentLastStableOffset = lastStableOffset;
            sentLogStartOffset = logStartOffset;
        }
    }

    @Override
    public String toString() {
        return key + "@" + fetchOffset;
    }
}

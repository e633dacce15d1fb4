package dev.skiff.storage.internal;

/**
 * What a partition remembers about one idempotent producer: its epoch and the metadata of its last
 * {@value #BATCHES_TO_RETAIN} batches, enough to recognise a retried batch and answer with its original offsets.
 *
 * <p>Five because a producer with {@code max.in.flight.requests.per.connection <= 5} (the idempotence limit)
 * can have at most that many batches outstanding to one partition. Batches sit in a ring of parallel primitive
 * arrays, so recording one allocates nothing.
 */
public final class ProducerEntry {
    /** Batches remembered per producer, as in Kafka. */
    public static final int BATCHES_TO_RETAIN = 5;

    private final long producerId;
    private short epoch;
    private long lastTimestamp;
    private int head;
    private int count;
    private final int[] firstSeqs = new int[BATCHES_TO_RETAIN];
    private final int[] lastSeqs = new int[BATCHES_TO_RETAIN];
    private final long[] firstOffsets = new long[BATCHES_TO_RETAIN];
    private final long[] lastOffsets = new long[BATCHES_TO_RETAIN];
    private final long[] timestamps = new long[BATCHES_TO_RETAIN];

    public ProducerEntry(long producerId, short epoch) {
        this.producerId = producerId;
        this.epoch = epoch;
        this.lastTimestamp = -1L;
    }

    public long producerId() {
        return producerId;
    }

    public short epoch() {
        return epoch;
    }

    /** maxTimestamp of the producer's most recent batch; producer expiry compares it with the clock. */
    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** Batches remembered, at most {@value #BATCHES_TO_RETAIN}. */
    public int batchCount() {
        return count;
    }

    private int slot(int i) {
        return (head + i) % BATCHES_TO_RETAIN;
    }

    /** First sequence of remembered batch {@code i} (0 = oldest). */
    public int firstSeq(int i) {
        return firstSeqs[slot(i)];
    }

    public int lastSeq(int i) {
        return lastSeqs[slot(i)];
    }

    public long firstOffset(int i) {
        return firstOffsets[slot(i)];
    }

    public long lastOffset(int i) {
        return lastOffsets[slot(i)];
    }

    public long timestamp(int i) {
        return timestamps[slot(i)];
    }

    /** Last sequence of the newest batch, or -1 when none is remembered. */
    public int lastSeq() {
        return count == 0 ? -1 : lastSeqs[slot(count - 1)];
    }

    /** Index of the remembered batch with exactly this sequence range, or -1. */
    public int findBatch(int firstSeq, int lastSeq) {
        for (int i = 0; i < count; i++) {
            final int s = slot(i);
            if (firstSeqs[s] == firstSeq && lastSeqs[s] == lastSeq) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Records a batch. A different epoch starts over: batches of an older epoch can no longer be retried.
     * Beyond {@value #BATCHES_TO_RETAIN} batches the oldest is forgotten.
     */
    public void addBatch(short batchEpoch, int firstSeq, int lastSeq, long firstOffset, long lastOffset,
                         long timestamp) {
        if (batchEpoch != epoch) {
            epoch = batchEpoch;
            head = 0;
            count = 0;
        }
        final int s;
        if (count < BATCHES_TO_RETAIN) {
            s = slot(count);
            count++;
        } else {
            s = head;
            head = (head + 1) % BATCHES_TO_RETAIN;
        }
        firstSeqs[s] = firstSeq;
        lastSeqs[s] = lastSeq;
        firstOffsets[s] = firstOffset;
        lastOffsets[s] = lastOffset;
        timestamps[s] = timestamp;
        lastTimestamp = timestamp;
    }
}

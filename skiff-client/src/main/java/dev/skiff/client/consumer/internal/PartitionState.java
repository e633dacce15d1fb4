package dev.skiff.client.consumer.internal;

import dev.skiff.client.TopicPartition;

/**
 * Where the consumer stands in one assigned partition. Used by the consumer's calling thread only.
 *
 * <p>{@link #epoch} grows with every seek, and a fetch remembers the epoch it was sent in: data that
 * comes back after the application moved the position is dropped rather than returned.
 */
public final class PartitionState {
    /** How to find a position the consumer does not have. */
    public enum Reset { EARLIEST, LATEST }

    public final TopicPartition tp;
    /** Offset of the next record to return; -1 while unknown. */
    public long position = -1;
    /** A requested reset not yet resolved (seekToBeginning/End), or null to use auto.offset.reset. */
    public Reset reset;
    /** The last known end: high watermark, or last stable offset under read_committed; -1 unknown. */
    public long end = -1;
    public int epoch;
    /** Whether a fetch for this partition is in flight. */
    public boolean fetching;

    public PartitionState(TopicPartition tp) {
        this.tp = tp;
    }

    /** Moves to {@code offset} (a seek), invalidating data fetched for the old position. */
    public void seek(long offset) {
        position = offset;
        reset = null;
        epoch++;
    }

    /** Forgets the position so it is looked up again with {@code how} (null: auto.offset.reset). */
    public void requestReset(Reset how) {
        position = -1;
        reset = how;
        epoch++;
    }

    /** Whether the position is at or past the last known end. */
    public boolean reachedEnd() {
        return position >= 0 && end >= 0 && position >= end;
    }
}

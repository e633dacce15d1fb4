package dev.skiff.storage;

/**
 * What one compaction pass of {@link PartitionLog#compact} did.
 *
 * @param cleaned          whether segments were rewritten (false: not compacted, nothing cleanable, or the dirty
 *                         ratio was below min.cleanable.dirty.ratio and no deadline forced a pass)
 * @param dirtyRatio       dirty bytes / cleanable bytes when the pass started
 * @param firstDirtyOffset where the dirty part began (the cleaner checkpoint, at least the log start)
 * @param cleanedUpTo      the cleaner checkpoint after the pass: offsets below it have been cleaned
 * @param bytesBefore      bytes of the rewritten segments before the pass
 * @param bytesAfter       bytes of the segments that replaced them
 * @param segmentsBefore   segments rewritten
 * @param segmentsAfter    segments that replaced them (adjacent small segments are merged)
 * @param recordsRemoved   records dropped: superseded, keyless, or tombstones past delete.retention.ms
 */
public record CompactionResult(boolean cleaned, double dirtyRatio, long firstDirtyOffset, long cleanedUpTo,
                               long bytesBefore, long bytesAfter, int segmentsBefore, int segmentsAfter,
                               long recordsRemoved) {

    /** A pass that rewrote nothing. */
    public static CompactionResult notCleaned(double dirtyRatio, long firstDirtyOffset) {
        return new CompactionResult(false, dirtyRatio, firstDirtyOffset, firstDirtyOffset, 0L, 0L, 0, 0, 0L);
    }
}

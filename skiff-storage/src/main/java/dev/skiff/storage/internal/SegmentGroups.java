package dev.skiff.storage.internal;

/**
 * Decides which adjacent segments a compaction pass merges into one cleaned segment. Why merge: compaction
 * shrinks segments, and without merging a compacted log would keep one small file (and two indexes) per roll
 * forever.
 *
 * <p>The pass writes the segments in order into the current cleaned segment and starts a new one when the next
 * segment might not fit: when the cleaned segment's size so far plus the next segment's whole size would pass
 * segment.bytes (cleaning only removes records, so the result is known to fit, give or take re-encoded timestamps
 * of tombstones), when the offsets would no longer fit the indexes' 32-bit relative offsets, or when the index
 * entries might not fit segment.index.bytes. Judging by what the cleaned segment really holds, rather than by the
 * sizes before cleaning as Kafka does, lets the first pass already merge segments that shrink to little.
 */
final class SegmentGroups {
    private SegmentGroups() {
    }

    /**
     * Whether {@code next}, whose offsets end before {@code nextEnd}, may be cleaned into {@code out}.
     */
    static boolean fits(LogSegment out, LogSegment next, long nextEnd, int segmentBytes, int segmentIndexBytes) {
        final int maxOffsetEntries = segmentIndexBytes / OffsetIndex.ENTRY_SIZE;
        final int maxTimeEntries = segmentIndexBytes / TimeIndex.ENTRY_SIZE - 1;
        return (long) out.size() + next.size() <= segmentBytes
                && nextEnd - 1 - out.baseOffset() <= Integer.MAX_VALUE
                && (long) out.offsetIndex().entries() + next.offsetIndex().entries() <= maxOffsetEntries
                && (long) out.timeIndex().entries() + next.timeIndex().entries() <= maxTimeEntries;
    }
}

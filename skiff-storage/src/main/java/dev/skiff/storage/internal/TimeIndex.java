package dev.skiff.storage.internal;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse time index of one segment ({@code <baseOffset>.timeindex}): from a timestamp to the offset where
 * a search for the first record at or after it should start.
 *
 * <pre>
 *  entry i (12 bytes, big-endian), entries strictly increasing in timestamp:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 timestamp (int64): largest batch maxTimestamp   |
 * |                 seen in the segment so far                      |
 * +---------------------------------------------------------------+
 * |  relativeOffset (int32): last offset of the batch that had it    |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * An entry is considered together with each offset-index entry and written only when the segment's maximum
 * timestamp grew. When the segment stops being active a final entry records its maximum timestamp, so after a
 * clean restart the last entry gives the segment's largest timestamp (used by time retention) without a scan.
 * One slot is reserved for that final entry: {@link #isFull()} is true one entry early. Not checksummed;
 * rebuilt from the log like the offset index.
 */
public final class TimeIndex extends MappedIndex {
    /** Bytes per entry. */
    public static final int ENTRY_SIZE = 12;

    public TimeIndex(Path file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, ENTRY_SIZE, maxIndexSize);
    }

    /** Full one entry early, keeping room for the final entry written when the segment becomes inactive. */
    @Override
    public boolean isFull() {
        return entries() >= maxEntries() - 1;
    }

    /**
     * Adds {@code (timestamp, offset)} if the timestamp is larger than the last entry's (writer only).
     *
     * @param finalEntry true when the segment becomes inactive; may use the reserved last slot
     */
    public void maybeAppend(long timestamp, long offset, boolean finalEntry) {
        final int n = entries();
        if (timestamp <= lastTimestamp() || n >= maxEntries() || (!finalEntry && isFull())) {
            return;
        }
        final MappedByteBuffer b = buffer();
        b.putLong(n * ENTRY_SIZE, timestamp);
        b.putInt(n * ENTRY_SIZE + 8, (int) (offset - baseOffset));
        publishEntries(n + 1);
    }

    /** Timestamp of the last entry, or -1 when empty. */
    public long lastTimestamp() {
        final int n = entries();
        return n == 0 ? -1L : buffer().getLong((n - 1) * ENTRY_SIZE);
    }

    /** Offset of the last entry, or the base offset when empty. */
    public long lastOffset() {
        final int n = entries();
        return n == 0 ? baseOffset : baseOffset + buffer().getInt((n - 1) * ENTRY_SIZE + 8);
    }

    /** Timestamp of entry {@code i}. */
    public long timestampAt(int i) {
        return buffer().getLong(i * ENTRY_SIZE);
    }

    /** Offset of entry {@code i}. */
    public long offsetAt(int i) {
        return baseOffset + buffer().getInt(i * ENTRY_SIZE + 8);
    }

    /**
     * The offset to start searching from for the first record with timestamp &gt;= {@code target}: the offset of
     * the last entry whose timestamp is at most the target, or the base offset. An entry's offset is the batch
     * that first reached its timestamp, so every earlier batch holds only smaller timestamps; the caller scans
     * forward from there because the index is sparse.
     */
    public long lookup(long target) {
        final int n = entries();
        final MappedByteBuffer b = buffer();
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            final int mid = (lo + hi) >>> 1;
            if (b.getLong(mid * ENTRY_SIZE) <= target) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? baseOffset : baseOffset + b.getInt(found * ENTRY_SIZE + 8);
    }

    /** Whole entries, timestamps strictly increasing, offsets non-decreasing in {@code [base, nextOffset)}. */
    public boolean isSane(long nextOffset) {
        if (!isLengthExact()) {
            return false;
        }
        final int n = entries();
        final MappedByteBuffer b = buffer();
        long prevTimestamp = Long.MIN_VALUE;
        long prevRelative = 0;
        for (int i = 0; i < n; i++) {
            final long timestamp = b.getLong(i * ENTRY_SIZE);
            final int relative = b.getInt(i * ENTRY_SIZE + 8);
            if (timestamp <= prevTimestamp || relative < prevRelative || baseOffset + relative >= nextOffset) {
                return false;
            }
            prevTimestamp = timestamp;
            prevRelative = relative;
        }
        return true;
    }
}

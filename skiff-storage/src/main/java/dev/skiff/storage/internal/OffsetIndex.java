package dev.skiff.storage.internal;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse offset index of one segment ({@code <baseOffset>.index}): from an offset to the file position of
 * the batch where a scan for it should start.
 *
 * <pre>
 *  entry i (8 bytes, big-endian), entries sorted by both fields:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   relativeOffset (int32) = last offset of the batch - baseOffset |
 * +---------------------------------------------------------------+
 * |   position (int32) = byte position of that batch in the .log     |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * An entry is added for a batch once more than {@code index.interval.bytes} of log were written since the
 * previous entry, so a lookup lands at most that many bytes (plus one batch) before its target. Offsets are
 * stored relative to the segment's base offset to fit in 4 bytes, which is why a segment also rolls before
 * its offsets would span more than {@link Integer#MAX_VALUE}. The file is preallocated and trimmed like every
 * {@link MappedIndex}. Nothing here is checksummed: after an unclean shutdown the indexes of every segment
 * from the recovery point on are rebuilt from the log, and older ones are sanity-checked ({@link #isSane}).
 */
public final class OffsetIndex extends MappedIndex {
    /** Bytes per entry. */
    public static final int ENTRY_SIZE = 8;

    public OffsetIndex(Path file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, ENTRY_SIZE, maxIndexSize);
    }

    /**
     * Adds an entry (writer only). Offsets and positions must grow; a full index silently skips the entry,
     * which only makes later scans a little longer, because the segment rolls on its next append anyway.
     */
    public void append(long offset, int position) {
        final int n = entries();
        if (n >= maxEntries()) {
            return;
        }
        final MappedByteBuffer b = buffer();
        if (n > 0 && (offset <= baseOffset + b.getInt((n - 1) * ENTRY_SIZE)
                || position <= b.getInt((n - 1) * ENTRY_SIZE + 4))) {
            throw new IllegalStateException("Index entry (" + offset + ", " + position + ") does not follow the last "
                    + "one in " + file());
        }
        b.putInt(n * ENTRY_SIZE, (int) (offset - baseOffset));
        b.putInt(n * ENTRY_SIZE + 4, position);
        publishEntries(n + 1);
    }

    /** Offset of entry {@code i}. */
    public long offsetAt(int i) {
        return baseOffset + buffer().getInt(i * ENTRY_SIZE);
    }

    /** File position of entry {@code i}. */
    public int positionAt(int i) {
        return buffer().getInt(i * ENTRY_SIZE + 4);
    }

    /** Position of the last entry, or 0 when empty. */
    public int lastPosition() {
        final int n = entries();
        return n == 0 ? 0 : buffer().getInt((n - 1) * ENTRY_SIZE + 4);
    }

    /** Offset of the last entry, or the base offset when empty. */
    public long lastOffset() {
        final int n = entries();
        return n == 0 ? baseOffset : baseOffset + buffer().getInt((n - 1) * ENTRY_SIZE);
    }

    /**
     * The position to start scanning from for {@code targetOffset}: that of the last entry whose offset is at
     * most the target, or 0. The batch there ends at or before the target, so the target is at or after it.
     */
    public int lookup(long targetOffset) {
        final int n = entries();
        final MappedByteBuffer b = buffer();
        final long relative = targetOffset - baseOffset;
        if (n == 0 || relative < 0) {
            return 0;
        }
        final int target = relative > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) relative;
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            final int mid = (lo + hi) >>> 1;
            if (b.getInt(mid * ENTRY_SIZE) <= target) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? 0 : b.getInt(found * ENTRY_SIZE + 4);
    }

    /** The largest indexed batch position that is at most {@code maxPosition}, or 0. */
    public int floorPosition(long maxPosition) {
        final int n = entries();
        final MappedByteBuffer b = buffer();
        int lo = 0;
        int hi = n - 1;
        int found = 0;
        while (lo <= hi) {
            final int mid = (lo + hi) >>> 1;
            final int position = b.getInt(mid * ENTRY_SIZE + 4);
            if (position <= maxPosition) {
                found = position;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /**
     * Checks what can be checked without the log's content: whole entries, offsets and positions strictly
     * increasing, offsets below {@code nextOffset} and positions inside a log of {@code logSize} bytes.
     */
    public boolean isSane(long nextOffset, int logSize) {
        if (!isLengthExact()) {
            return false;
        }
        final int n = entries();
        final MappedByteBuffer b = buffer();
        long prevRelative = -1;
        long prevPosition = -1;
        for (int i = 0; i < n; i++) {
            final int relative = b.getInt(i * ENTRY_SIZE);
            final int position = b.getInt(i * ENTRY_SIZE + 4);
            if (relative <= prevRelative || position <= prevPosition || position >= logSize
                    || baseOffset + relative >= nextOffset) {
                return false;
            }
            prevRelative = relative;
            prevPosition = position;
        }
        return true;
    }
}

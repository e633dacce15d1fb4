package dev.skiff.storage.internal;

import dev.skiff.protocol.record.BatchHeader;
import java.nio.ByteBuffer;

/**
 * The validity test recovery applies to every batch it scans. A batch is valid when all of these hold:
 * <ul>
 *   <li>its header fits before {@code limit} and its batchLength is at least the header's and ends before
 *       {@code limit} (a torn tail fails here);</li>
 *   <li>magic is 2;</li>
 *   <li>its base offset is the one expected: the segment's base offset for the first batch, then the previous
 *       batch's last offset + 1 (this catches damage to the baseOffset field, which the CRC does not cover);</li>
 *   <li>lastOffsetDelta is not negative;</li>
 *   <li>the CRC-32C over attributes..end matches.</li>
 * </ul>
 * The partitionLeaderEpoch field is covered by nothing; it is informational only.
 */
public final class BatchChecks {
    /** Smallest legal batchLength: the header after the length field, with no records. */
    public static final int MIN_BATCH_LENGTH = BatchHeader.HEADER_SIZE - BatchHeader.LOG_OVERHEAD;

    private BatchChecks() {
    }

    /**
     * Checks the batch at absolute index {@code pos} of {@code buf}.
     *
     * @param expectedBaseOffset the base offset it must have, or -1 to accept any
     * @param checkCrc           false to check the framing only
     * @return the batch's total size in bytes, or -1 when it is not valid
     */
    public static int validSize(ByteBuffer buf, int pos, int limit, long expectedBaseOffset, BatchHeader header,
                                boolean checkCrc) {
        if (limit - pos < BatchHeader.HEADER_SIZE) {
            return -1;
        }
        header.wrap(buf, pos);
        final int length = header.batchLength();
        if (length < MIN_BATCH_LENGTH || length > limit - pos - BatchHeader.LOG_OVERHEAD) {
            return -1;
        }
        if (header.magic() != BatchHeader.MAGIC_V2 || header.lastOffsetDelta() < 0) {
            return -1;
        }
        if (expectedBaseOffset >= 0 && header.baseOffset() != expectedBaseOffset) {
            return -1;
        }
        if (checkCrc && !header.isCrcValid()) {
            return -1;
        }
        return BatchHeader.LOG_OVERHEAD + length;
    }

    /**
     * The check for a segment the cleaner has rewritten, where removed records leave offset gaps: as
     * {@link #validSize}, except that the base offset may be anywhere from {@code minBaseOffset} on, as long as
     * the batch ends before {@code endOffsetExclusive} (the next segment's base offset).
     *
     * @return the batch's total size in bytes, or -1 when it is not valid
     */
    public static int validSizeWithGaps(ByteBuffer buf, int pos, int limit, long minBaseOffset,
                                        long endOffsetExclusive, BatchHeader header, boolean checkCrc) {
        final int size = validSize(buf, pos, limit, -1L, header, checkCrc);
        if (size < 0 || header.baseOffset() < minBaseOffset || header.lastOffset() >= endOffsetExclusive
                || header.lastOffset() < header.baseOffset()) {
            return -1;
        }
        return size;
    }
}

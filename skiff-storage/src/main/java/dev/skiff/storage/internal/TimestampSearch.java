package dev.skiff.storage.internal;

import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.Varints;
import dev.skiff.protocol.record.BatchHeader;
import dev.skiff.storage.OffsetAndTimestamp;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.NavigableMap;

/**
 * ListOffsets by timestamp over a log's segments, for {@code PartitionLog.offsetForTimestamp} and
 * {@code offsetOfMaxTimestamp}.
 *
 * <p>Segments are picked by their max timestamp, then the time index narrows the start and batch headers are
 * scanned to the first batch that qualifies. Inside that batch the exact record is found by walking the record
 * headers when the batch is uncompressed (records are length-prefixed, so nothing is decoded but a few varints).
 * A compressed batch is not decompressed here: the answer is then its base offset, which is never past the
 * wanted record, so a consumer that seeks there misses nothing. LogAppendTime batches give every record the
 * batch's maxTimestamp, so their first record is the answer, as in Kafka.
 */
public final class TimestampSearch {
    private TimestampSearch() {
    }

    /** The first offset at or after {@code logStartOffset} whose record timestamp is &gt;= {@code target}. */
    public static OffsetAndTimestamp offsetForTimestamp(NavigableMap<Long, LogSegment> segments, LogEnd end,
                                                        long logStartOffset, long target) throws IOException {
        for (LogSegment segment : segments.values()) {
            if (segment.baseOffset() > end.segment().baseOffset()) {
                break;
            }
            if (segment.maxTimestamp() < target) {
                continue;
            }
            final int committed = segment == end.segment() ? end.position() : segment.size();
            final long from = Math.max(segment.timeIndex().lookup(target), logStartOffset);
            final long found = segment.findBatchByTimestamp(from, target, false, committed);
            if (found >= 0) {
                // Filter records by the log start only: the batch the time index points into may hold earlier
                // records with the same timestamp.
                return findRecord(readBatch(segment, found), target, false, logStartOffset);
            }
        }
        return null;
    }

    /** The record with the largest timestamp (the first such), or null when no record has a timestamp. */
    public static OffsetAndTimestamp offsetOfMaxTimestamp(NavigableMap<Long, LogSegment> segments, LogEnd end)
            throws IOException {
        LogSegment best = null;
        long bestTimestamp = -1L;
        long bestOffset = -1L;
        for (LogSegment segment : segments.values()) {
            if (segment.baseOffset() > end.segment().baseOffset()) {
                break;
            }
            final long timestamp = segment.maxTimestamp();
            final long offset = segment.offsetOfMaxTimestamp();
            if (timestamp > bestTimestamp) {
                best = segment;
                bestTimestamp = timestamp;
                bestOffset = offset;
            }
        }
        if (best == null) {
            return null;
        }
        final int committed = best == end.segment() ? end.position() : best.size();
        long found = best.findBatchByTimestamp(Math.min(bestOffset, end.offset() - 1), bestTimestamp, true,
                committed);
        if (found < 0) {
            // The appender updates the timestamp and its offset as two fields; a racing read may pair a new
            // offset with the old timestamp, whose batch then lies earlier in the segment.
            found = best.findBatchByTimestamp(best.baseOffset(), bestTimestamp, true, committed);
        }
        if (found < 0) {
            return null;
        }
        return findRecord(readBatch(best, found), bestTimestamp, true, -1L);
    }

    private static ByteBuffer readBatch(LogSegment segment, long positionAndSize) throws IOException {
        final ByteBuffer batch = ByteBuffer.allocate((int) positionAndSize);
        segment.readFully(batch, positionAndSize >>> 32);
        return batch.flip();
    }

    /**
     * The first record of {@code batch} at or after {@code fromOffset} whose timestamp is &gt;= {@code target}
     * (or == with {@code exact}); falls back to the batch's base offset and maxTimestamp when the records cannot
     * be walked (compressed or malformed).
     */
    static OffsetAndTimestamp findRecord(ByteBuffer batch, long target, boolean exact, long fromOffset) {
        final BatchHeader header = new BatchHeader().wrap(batch, 0);
        final long baseOffset = header.baseOffset();
        final long fallbackOffset = Math.max(baseOffset, Math.min(fromOffset, header.lastOffset()));
        if (header.isLogAppendTime() || header.compressionId() != 0) {
            return new OffsetAndTimestamp(fallbackOffset, header.maxTimestamp());
        }
        final long baseTimestamp = header.baseTimestamp();
        final int count = header.recordCount();
        final ByteBuffer in = batch.duplicate().position(BatchHeader.HEADER_SIZE);
        try {
            for (int i = 0; i < count; i++) {
                final int length = Varints.readVarint(in);
                final int bodyStart = in.position();
                if (length < 0 || length > in.remaining()) {
                    break;
                }
                in.get();
                final long timestamp = baseTimestamp + Varints.readVarlong(in);
                final long offset = baseOffset + Varints.readVarint(in);
                if (offset >= fromOffset && (exact ? timestamp == target : timestamp >= target)) {
                    return new OffsetAndTimestamp(offset, timestamp);
                }
                in.position(bodyStart + length);
            }
        } catch (DecodeException | BufferUnderflowException | IndexOutOfBoundsException
                 | IllegalArgumentException e) {
            // Malformed records behind a valid CRC: answer at batch granularity rather than fail the lookup.
        }
        return new OffsetAndTimestamp(fallbackOffset, header.maxTimestamp());
    }
}

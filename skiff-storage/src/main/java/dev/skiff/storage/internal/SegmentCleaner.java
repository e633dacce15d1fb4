package dev.skiff.storage.internal;

import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.record.BatchHeader;
import dev.skiff.protocol.record.RecordReader;
import dev.skiff.protocol.record.RetainedBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record-level work of a compaction pass: indexing the keys of the dirty segments into an {@link OffsetMap},
 * then copying the records that stay from old segments into a cleaned one.
 *
 * <p>Which records stay (Kafka's rules):
 * <ul>
 *   <li>a record with a key stays iff no later offset in the dirty range holds the same key;</li>
 *   <li>a record without a key goes (a compacted log can hold one only from before its policy changed);</li>
 *   <li>a tombstone (null value) that stays gets a delete horizon, now + delete.retention.ms, stored in its
 *       batch (the batch's delete-horizon flag and baseTimestamp, as in KIP-534) the first time the cleaner
 *       rewrites it; once a pass runs at or after the horizon the tombstone goes. Storing the horizon in the
 *       data rather than judging by file times makes it exact, persistent across restarts and testable with an
 *       injected clock;</li>
 *   <li>control batches are copied unchanged.</li>
 * </ul>
 * A batch whose records all stay and that needs no horizon is copied byte for byte (no decompression on the
 * write side). Otherwise it is rebuilt with {@link RetainedBatchBuilder}: same base offset, offsets, timestamps,
 * producer id/epoch/base sequence, codec and attributes. A batch that loses every record is dropped.
 *
 * <p>What dropping a batch means for idempotent producers: the producer state in memory and in snapshots is
 * unaffected, so retries keep being recognised while the broker runs and after a clean restart. Only a replay
 * from the log itself (an unclean restart whose nearest snapshot is older than the dropped batch) no longer sees
 * that batch; a producer whose last batch was dropped is then unknown to the log and its next sequence is
 * accepted as is, which is Kafka's behaviour for producers whose state expired. Kafka instead keeps an empty
 * batch for a producer's last sequence; that is left for later.
 *
 * <p>A batch whose records do not parse (behind a valid CRC) is copied unchanged and contributes no keys: the
 * cleaner must never lose data it cannot read. Not thread-safe: one per pass.
 */
final class SegmentCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentCleaner.class);

    private final RecordReader reader = new RecordReader();
    private final RetainedBatchBuilder builder = new RetainedBatchBuilder();
    private final BatchHeader header = new BatchHeader();
    private final BatchHeader outHeader = new BatchHeader();
    private final int[] oneStart = new int[1];
    private boolean[] keep = new boolean[256];
    private long recordsRemoved;
    private long earliestHorizon = -1L;

    /** Records removed so far by {@link #clean}. */
    long recordsRemoved() {
        return recordsRemoved;
    }

    /** The earliest delete horizon among the tombstones kept so far, or -1 if none was kept. */
    long earliestHorizon() {
        return earliestHorizon;
    }

    /** Adds every keyed record of {@code segment} at or after {@code fromOffset} to {@code map}. */
    void index(LogSegment segment, long fromOffset, OffsetMap map) throws IOException {
        final int size = segment.size();
        if (size == 0) {
            return;
        }
        final MappedByteBuffer data = segment.channel().map(FileChannel.MapMode.READ_ONLY, 0, size);
        int position = 0;
        while (position < size) {
            final int batchSize = batchAt(data, position, size, segment);
            if (header.lastOffset() >= fromOffset && !header.isControl()) {
                try {
                    reader.open(data, position);
                    while (reader.next()) {
                        if (reader.offset() >= fromOffset && reader.hasKey()) {
                            map.put(reader.key(), reader.offset());
                        }
                    }
                } catch (DecodeException e) {
                    LOG.warn("Cleaner cannot read the batch at offset {} of {}; it stays as is: {}",
                            header.baseOffset(), segment.logFile(), e.getMessage());
                }
            }
            position += batchSize;
        }
    }

    /**
     * Copies what stays of {@code source} to {@code target}.
     *
     * @param nowMs the pass's time: tombstones with a horizon at or before it go; new horizons start from it
     */
    void clean(LogSegment source, LogSegment target, OffsetMap map, long nowMs, long deleteRetentionMs,
               int indexIntervalBytes) throws IOException {
        final int size = source.size();
        if (size == 0) {
            return;
        }
        final MappedByteBuffer data = source.channel().map(FileChannel.MapMode.READ_ONLY, 0, size);
        int position = 0;
        while (position < size) {
            final int batchSize = batchAt(data, position, size, source);
            if (header.isControl()) {
                copy(data, position, batchSize, target, nowMs, indexIntervalBytes);
            } else {
                cleanBatch(data, position, batchSize, source, target, map, nowMs, deleteRetentionMs,
                        indexIntervalBytes);
            }
            position += batchSize;
        }
    }

    private void cleanBatch(MappedByteBuffer data, int position, int batchSize, LogSegment source, LogSegment target,
                            OffsetMap map, long nowMs, long deleteRetentionMs, int indexIntervalBytes)
            throws IOException {
        final long horizon = RetainedBatchBuilder.deleteHorizonOf(header);
        int total = 0;
        int kept = 0;
        boolean keptTombstone = false;
        try {
            reader.open(data, position);
            while (reader.next()) {
                if (total == keep.length) {
                    keep = Arrays.copyOf(keep, total * 2);
                }
                boolean stays = reader.hasKey() && map.get(reader.key()) <= reader.offset();
                if (stays && !reader.hasValue()) {
                    stays = horizon < 0 || nowMs < horizon;
                    keptTombstone |= stays;
                }
                keep[total++] = stays;
                if (stays) {
                    kept++;
                }
            }
        } catch (DecodeException e) {
            LOG.warn("Cleaner cannot read the batch at offset {} of {}; it stays as is: {}", header.baseOffset(),
                    source.logFile(), e.getMessage());
            copy(data, position, batchSize, target, nowMs, indexIntervalBytes);
            return;
        }
        final long newHorizon = !keptTombstone ? horizon : horizon >= 0 ? horizon : saturatedAdd(nowMs,
                deleteRetentionMs);
        if (keptTombstone && (earliestHorizon < 0 || newHorizon < earliestHorizon)) {
            earliestHorizon = newHorizon;
        }
        recordsRemoved += total - kept;
        if (kept == 0) {
            return;
        }
        if (kept == total && newHorizon == horizon) {
            copy(data, position, batchSize, target, nowMs, indexIntervalBytes);
            return;
        }
        builder.open(header, newHorizon);
        reader.open(data, position);
        int i = 0;
        while (reader.next()) {
            if (keep[i++]) {
                builder.append(reader);
            }
        }
        final ByteBuffer rebuilt = builder.build();
        oneStart[0] = 0;
        target.append(rebuilt, oneStart, 1, outHeader, nowMs, indexIntervalBytes);
    }

    private void copy(MappedByteBuffer data, int position, int batchSize, LogSegment target, long nowMs,
                      int indexIntervalBytes) throws IOException {
        final ByteBuffer batch = data.duplicate();
        batch.limit(position + batchSize).position(position);
        oneStart[0] = position;
        target.append(batch, oneStart, 1, outHeader, nowMs, indexIntervalBytes);
    }

    /** Wraps {@link #header} on the batch at {@code position} and returns its size; a broken frame fails the pass. */
    private int batchAt(ByteBuffer data, int position, int size, LogSegment segment) throws IOException {
        final int batchSize = BatchChecks.validSize(data, position, size, -1L, header, false);
        if (batchSize < 0) {
            throw new IOException("Corrupt batch at byte " + position + " of " + segment.logFile());
        }
        return batchSize;
    }

    private static long saturatedAdd(long a, long b) {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}

package dev.skiff.storage.internal;

import dev.skiff.protocol.record.BatchHeader;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a partition log: a {@code .log} file of record batches plus its {@link OffsetIndex} and
 * {@link TimeIndex}.
 *
 * <pre>
 *  &lt;baseOffset&gt;.log: batches back to back, byte for byte as they arrived on the wire, offsets assigned
 * +------------------+------------------+-----+------------------+
 * | batch baseOffset | batch            | ... | batch            |
 * | = segment base   | prev.last + 1    |     |                  |
 * +------------------+------------------+-----+------------------+
 *  0                                                          size
 * </pre>
 *
 * Each batch carries its own CRC-32C (over attributes..end, see {@link BatchHeader}); the log file adds no
 * framing or checksum of its own. Its length is the segment's size: log files are not preallocated.
 *
 * <p>Threads: the log's single writer appends, rolls, truncates and recovers; readers call the read-side
 * methods with a committed size taken from {@link LogEnd} and never look past it; the flusher calls
 * {@link #flush()}. Positional reads and writes on one {@link FileChannel} are safe together.
 */
public final class LogSegment {
    private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);
    /** Per reader thread: the part of a batch header the read path needs (baseOffset..lastOffsetDelta). */
    private static final ThreadLocal<ByteBuffer> HEADER_SCRATCH =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BatchHeader.HEADER_SIZE));

    private final long baseOffset;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final boolean indexFilesWereMissing;
    private volatile Path logFile;
    private volatile int size;
    private volatile long maxTimestamp = -1L;
    private volatile long offsetOfMaxTimestamp = -1L;
    private volatile boolean deleted;
    private int bytesSinceLastIndexEntry;
    private long rollBaseMs = -1L;

    private LogSegment(long baseOffset, Path logFile, FileChannel channel, OffsetIndex offsetIndex,
                       TimeIndex timeIndex, boolean indexFilesWereMissing) throws IOException {
        this.baseOffset = baseOffset;
        this.logFile = logFile;
        this.channel = channel;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexFilesWereMissing = indexFilesWereMissing;
        this.size = (int) Math.min(channel.size(), Integer.MAX_VALUE);
    }

    /** Creates the files of a new, empty segment. */
    public static LogSegment create(Path dir, long baseOffset, int maxIndexSize) throws IOException {
        final Path log = LogFileNames.logFile(dir, baseOffset);
        final FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            Files.deleteIfExists(LogFileNames.indexFile(dir, baseOffset));
            Files.deleteIfExists(LogFileNames.timeIndexFile(dir, baseOffset));
            return new LogSegment(baseOffset, log, channel,
                    new OffsetIndex(LogFileNames.indexFile(dir, baseOffset), baseOffset, maxIndexSize),
                    new TimeIndex(LogFileNames.timeIndexFile(dir, baseOffset), baseOffset, maxIndexSize), false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            // Leave nothing behind, or the next attempt to create this segment would find the file.
            Files.deleteIfExists(log);
            throw e;
        }
    }

    /**
     * Creates the files of a segment the cleaner writes: {@code <base>.log.cleaned}, {@code <base>.index.cleaned}
     * and {@code <base>.timeindex.cleaned}, replacing leftovers of an abandoned pass. {@link #renameFiles} later
     * moves them to {@code .swap} and then to their final names.
     */
    public static LogSegment createCleaned(Path dir, long baseOffset, int maxIndexSize) throws IOException {
        final Path log = withSuffix(LogFileNames.logFile(dir, baseOffset), LogFileNames.CLEANED_SUFFIX);
        final Path index = withSuffix(LogFileNames.indexFile(dir, baseOffset), LogFileNames.CLEANED_SUFFIX);
        final Path timeIndex = withSuffix(LogFileNames.timeIndexFile(dir, baseOffset), LogFileNames.CLEANED_SUFFIX);
        Files.deleteIfExists(log);
        Files.deleteIfExists(index);
        Files.deleteIfExists(timeIndex);
        final FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            return new LogSegment(baseOffset, log, channel, new OffsetIndex(index, baseOffset, maxIndexSize),
                    new TimeIndex(timeIndex, baseOffset, maxIndexSize), false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(log);
            throw e;
        }
    }

    /** {@code file} with {@code suffix} appended to its name. */
    public static Path withSuffix(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /**
     * Renames the three files to the segment's standard names plus {@code suffix} ("" for the final names):
     * both indexes first, the log last, so the log file's rename is the step that counts (a {@code .log.swap}
     * commits a cleaned segment). Channel and mappings stay valid.
     */
    public void renameFiles(Path dir, String suffix) throws IOException {
        offsetIndex.renameTo(withSuffix(LogFileNames.indexFile(dir, baseOffset), suffix));
        timeIndex.renameTo(withSuffix(LogFileNames.timeIndexFile(dir, baseOffset), suffix));
        final Path target = withSuffix(LogFileNames.logFile(dir, baseOffset), suffix);
        Files.move(logFile, target, StandardCopyOption.REPLACE_EXISTING);
        logFile = target;
    }

    /** Opens an existing segment; index files that are missing are created empty and must be rebuilt. */
    public static LogSegment open(Path dir, long baseOffset, int maxIndexSize) throws IOException {
        final Path log = LogFileNames.logFile(dir, baseOffset);
        if (!Files.exists(log)) {
            throw new NoSuchFileException(log.toString());
        }
        final Path index = LogFileNames.indexFile(dir, baseOffset);
        final Path timeIndex = LogFileNames.timeIndexFile(dir, baseOffset);
        final boolean missing = !Files.exists(index) || !Files.exists(timeIndex);
        final FileChannel channel = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new LogSegment(baseOffset, log, channel, new OffsetIndex(index, baseOffset, maxIndexSize),
                    new TimeIndex(timeIndex, baseOffset, maxIndexSize), missing);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** Bytes of batches in the file. For the active segment, readers use {@link LogEnd#position()} instead. */
    public int size() {
        return size;
    }

    public FileChannel channel() {
        return channel;
    }

    public Path logFile() {
        return logFile;
    }

    public OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    public TimeIndex timeIndex() {
        return timeIndex;
    }

    /** Largest batch maxTimestamp in the segment, or -1. */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    /** Last offset of the first batch that reached {@link #maxTimestamp()}, or -1. */
    public long offsetOfMaxTimestamp() {
        return offsetOfMaxTimestamp;
    }

    /** The timestamp time retention compares: the largest record timestamp, else the file's modification time. */
    public long largestTimestamp() {
        final long max = maxTimestamp;
        if (max >= 0) {
            return max;
        }
        try {
            return Files.getLastModifiedTime(logFile).toMillis();
        } catch (IOException e) {
            return -1L;
        }
    }

    /** maxTimestamp of the first batch, or -1 for an empty segment (max.compaction.lag.ms is measured from it). */
    public long firstBatchTimestamp() throws IOException {
        if (size == 0) {
            return -1L;
        }
        final ByteBuffer header = HEADER_SCRATCH.get().clear();
        readFully(header, 0);
        return header.getLong(BatchHeader.MAX_TIMESTAMP_OFFSET);
    }

    public boolean isDeleted() {
        return deleted;
    }

    /** True when an index file was absent at open, so the indexes must be rebuilt. */
    public boolean indexFilesWereMissing() {
        return indexFilesWereMissing;
    }

    /**
     * Whether the segment must roll before an append of {@code appendBytes} ending at {@code lastOffset}:
     * it would pass segment.bytes, it is older than segment.ms, an index is full, or the offsets would no longer
     * fit the index's 32-bit relative offsets. An empty segment never rolls.
     */
    public boolean shouldRoll(int appendBytes, long lastOffset, long nowMs, int segmentBytes, long segmentMs)
            throws IOException {
        if (size == 0) {
            return false;
        }
        return (long) size + appendBytes > segmentBytes
                || nowMs - rollBaseMs(nowMs) > segmentMs
                || offsetIndex.isFull() || timeIndex.isFull()
                || lastOffset - baseOffset > Integer.MAX_VALUE;
    }

    /**
     * When the segment started for segment.ms: the append time of its first batch; after a restart, which
     * forgets that, the first batch's maxTimestamp as Kafka does, else the first time it is asked.
     */
    private long rollBaseMs(long nowMs) throws IOException {
        if (rollBaseMs < 0) {
            final ByteBuffer header = HEADER_SCRATCH.get().clear();
            readFully(header, 0);
            final long firstTimestamp = header.getLong(BatchHeader.MAX_TIMESTAMP_OFFSET);
            rollBaseMs = firstTimestamp >= 0 && firstTimestamp <= nowMs ? firstTimestamp : nowMs;
        }
        return rollBaseMs;
    }

    /**
     * Writes the batches at {@code starts[0..count)} of {@code src}, which lie back to back from
     * {@code src.position()} to {@code src.limit()}, and indexes them. Publishes the new size last.
     */
    public void append(ByteBuffer src, int[] starts, int count, BatchHeader header, long nowMs,
                       int indexIntervalBytes) throws IOException {
        final int startPosition = size;
        final ByteBuffer data = src.duplicate();
        final int first = src.position();
        final int total = src.limit() - first;
        int written = 0;
        while (data.hasRemaining()) {
            written += channel.write(data, (long) startPosition + written);
        }
        if (startPosition == 0) {
            rollBaseMs = nowMs;
        }
        for (int i = 0; i < count; i++) {
            header.wrap(src, starts[i]);
            indexBatch(header.lastOffset(), header.maxTimestamp(), startPosition + starts[i] - first,
                    header.sizeInBytes(), indexIntervalBytes);
        }
        size = startPosition + total;
    }

    /** Updates the max timestamp and adds index entries for one batch, as append and recovery both do. */
    private void indexBatch(long lastOffset, long batchMaxTimestamp, int position, int batchSize,
                            int indexIntervalBytes) {
        if (batchMaxTimestamp > maxTimestamp) {
            offsetOfMaxTimestamp = lastOffset;
            maxTimestamp = batchMaxTimestamp;
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(lastOffset, position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batchSize;
    }

    /** Cuts the file back to {@code position}, a batch boundary (undoing a failed append). */
    public void truncateTo(int position) throws IOException {
        channel.truncate(position);
        size = position;
    }

    /**
     * Rebuilds the indexes from the log, validating every batch ({@link BatchChecks}, CRC included) and
     * truncating the file at the first one that fails.
     *
     * @return the offset after the last valid batch and how many bytes were cut
     */
    public Recovered recover(int indexIntervalBytes, int maxIndexSize) throws IOException {
        return recover(indexIntervalBytes, maxIndexSize, false, Long.MAX_VALUE);
    }

    /**
     * {@link #recover(int, int)}, optionally for a segment the cleaner rewrote: with {@code gapsAllowed} batches
     * need only increasing offsets below {@code endOffsetExclusive} ({@link BatchChecks#validSizeWithGaps}).
     */
    public Recovered recover(int indexIntervalBytes, int maxIndexSize, boolean gapsAllowed, long endOffsetExclusive)
            throws IOException {
        offsetIndex.resize(maxIndexSize);
        timeIndex.resize(maxIndexSize);
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestamp = -1L;
        offsetOfMaxTimestamp = -1L;
        bytesSinceLastIndexEntry = 0;
        final long fileSize = channel.size();
        final int limit = (int) Math.min(fileSize, Integer.MAX_VALUE);
        final BatchHeader header = new BatchHeader();
        int position = 0;
        long next = baseOffset;
        if (limit > 0) {
            final MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, limit);
            while (position < limit) {
                final int batchSize = gapsAllowed
                        ? BatchChecks.validSizeWithGaps(map, position, limit, next, endOffsetExclusive, header, true)
                        : BatchChecks.validSize(map, position, limit, next, header, true);
                if (batchSize < 0 || header.lastOffset() - baseOffset > Integer.MAX_VALUE) {
                    break;
                }
                indexBatch(header.lastOffset(), header.maxTimestamp(), position, batchSize, indexIntervalBytes);
                next = header.lastOffset() + 1;
                position += batchSize;
            }
        }
        final long cut = fileSize - position;
        if (cut > 0) {
            LOG.warn("Truncating {} at byte {} (offset {}): {} bytes after it are not a valid batch", logFile,
                    position, next, cut);
            channel.truncate(position);
        }
        size = position;
        return new Recovered(next, cut);
    }

    /**
     * After a clean shutdown: takes the max timestamp from the time index's final entry and finds the end offset
     * by scanning only the batches after the last offset-index entry.
     *
     * @return the offset after the last batch, or -1 if the tail does not match the index (rebuild then)
     */
    public long loadCleanTail() throws IOException {
        if (timeIndex.entries() > 0) {
            maxTimestamp = timeIndex.lastTimestamp();
            offsetOfMaxTimestamp = timeIndex.lastOffset();
        }
        final int limit = size;
        final boolean indexed = offsetIndex.entries() > 0;
        int position = indexed ? offsetIndex.lastPosition() : 0;
        long expected = indexed ? -1L : baseOffset;
        if (position >= limit && limit > 0) {
            return -1L;
        }
        final BatchHeader header = new BatchHeader();
        long next = baseOffset;
        if (limit > position) {
            final MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, position, limit - position);
            final int mapLimit = limit - position;
            int p = 0;
            while (p < mapLimit) {
                final int batchSize = BatchChecks.validSize(map, p, mapLimit, expected, header, true);
                if (batchSize < 0 || (p == 0 && indexed && header.lastOffset() != offsetIndex.lastOffset())) {
                    return -1L;
                }
                if (header.maxTimestamp() > maxTimestamp) {
                    maxTimestamp = header.maxTimestamp();
                    offsetOfMaxTimestamp = header.lastOffset();
                }
                next = header.lastOffset() + 1;
                expected = next;
                p += batchSize;
            }
            // As if the batches since the last entry had just been appended: the next entry comes on time.
            bytesSinceLastIndexEntry = limit - position;
        }
        return next;
    }

    /** After a clean shutdown, for a segment that is not the last: its extremes come from the time index. */
    public void loadCleanInactive() {
        if (timeIndex.entries() > 0) {
            maxTimestamp = timeIndex.lastTimestamp();
            offsetOfMaxTimestamp = timeIndex.lastOffset();
        }
    }

    /** Whether both indexes pass their sanity checks given the segment's next offset. */
    public boolean indexesAreSane(long nextOffset) {
        return !indexFilesWereMissing && offsetIndex.isSane(nextOffset, size) && timeIndex.isSane(nextOffset);
    }

    /**
     * Finds the batch holding {@code offset} among the first {@code committed} bytes.
     *
     * @return {@code position << 32 | batchSize}, or -1 if every batch there ends before the offset
     */
    public long findBatch(long offset, int committed) throws IOException {
        int position = offsetIndex.lookup(offset);
        if (position >= committed) {
            position = 0;
        }
        final ByteBuffer header = HEADER_SCRATCH.get();
        while (position < committed) {
            final int batchSize = readHeader(header, position, committed);
            if (header.getLong(BatchHeader.BASE_OFFSET_OFFSET)
                    + header.getInt(BatchHeader.LAST_OFFSET_DELTA_OFFSET) >= offset) {
                return (long) position << 32 | batchSize;
            }
            position += batchSize;
        }
        return -1L;
    }

    /**
     * Finds the first batch at or after the one holding {@code fromOffset} whose maxTimestamp is at least
     * {@code timestamp} (or, with {@code exact}, equal to it).
     *
     * @return {@code position << 32 | batchSize}, or -1
     */
    public long findBatchByTimestamp(long fromOffset, long timestamp, boolean exact, int committed)
            throws IOException {
        int position = offsetIndex.lookup(fromOffset);
        if (position >= committed) {
            position = 0;
        }
        final ByteBuffer header = HEADER_SCRATCH.get();
        while (position < committed) {
            final int batchSize = readHeader(header, position, committed);
            final long last = header.getLong(BatchHeader.BASE_OFFSET_OFFSET)
                    + header.getInt(BatchHeader.LAST_OFFSET_DELTA_OFFSET);
            final long batchMax = header.getLong(BatchHeader.MAX_TIMESTAMP_OFFSET);
            if (last >= fromOffset && (exact ? batchMax == timestamp : batchMax >= timestamp)) {
                return (long) position << 32 | batchSize;
            }
            position += batchSize;
        }
        return -1L;
    }

    /**
     * The end of the whole batches that start at {@code start} and end at or before {@code limitPosition},
     * never past {@code committed}. Scans only from the index entry nearest {@code limitPosition}.
     */
    public int endOfWholeBatches(int start, long limitPosition, int committed) throws IOException {
        if (limitPosition >= committed) {
            return committed;
        }
        int position = Math.max(start, offsetIndex.floorPosition(limitPosition));
        final ByteBuffer header = HEADER_SCRATCH.get();
        while (position < committed) {
            final int batchSize = readHeader(header, position, committed);
            if ((long) position + batchSize > limitPosition) {
                break;
            }
            position += batchSize;
        }
        return position;
    }

    /** Reads the header at {@code position} into {@code header} and returns the batch's total size. */
    private int readHeader(ByteBuffer header, int position, int committed) throws IOException {
        header.clear();
        readFully(header, position);
        final int length = header.getInt(BatchHeader.LENGTH_OFFSET);
        if (length < BatchChecks.MIN_BATCH_LENGTH || length > committed - position - BatchHeader.LOG_OVERHEAD) {
            throw new IOException("Corrupt batch at byte " + position + " of " + logFile + ": batchLength " + length);
        }
        return BatchHeader.LOG_OVERHEAD + length;
    }

    /** Fills {@code dst} from {@code position} on. */
    public void readFully(ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            final int n = channel.read(dst, at);
            if (n < 0) {
                throw new EOFException("Unexpected end of " + logFile + " at byte " + at);
            }
            at += n;
        }
    }

    /** The segment stops being active: records its final max timestamp and trims both index files. */
    public void onBecomeInactive() throws IOException {
        timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, true);
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** Extends both indexes to {@code maxIndexSize} so the segment can take appends again. */
    public void resizeIndexes(int maxIndexSize) throws IOException {
        offsetIndex.resize(maxIndexSize);
        timeIndex.resize(maxIndexSize);
    }

    /** fsyncs the log file. */
    public void flush() throws IOException {
        channel.force(true);
    }

    /** Writes the index mappings to disk. */
    public void flushIndexes() {
        offsetIndex.flush();
        timeIndex.flush();
    }

    /**
     * Renames the files to {@code *.deleted}; the channel stays open so reads in flight finish. Retention
     * calls this when it removes the segment from the log.
     */
    public void renameForDeletion() throws IOException {
        deleted = true;
        final Path deletedLog = logFile.resolveSibling(logFile.getFileName() + LogFileNames.DELETED_SUFFIX);
        Files.move(logFile, deletedLog, StandardCopyOption.REPLACE_EXISTING);
        logFile = deletedLog;
        offsetIndex.renameTo(offsetIndex.file().resolveSibling(offsetIndex.file().getFileName()
                + LogFileNames.DELETED_SUFFIX));
        timeIndex.renameTo(timeIndex.file().resolveSibling(timeIndex.file().getFileName()
                + LogFileNames.DELETED_SUFFIX));
    }

    /** Closes the channel and deletes all three files. */
    public void closeAndDelete() throws IOException {
        deleted = true;
        close();
        Files.deleteIfExists(logFile);
        offsetIndex.deleteFile();
        timeIndex.deleteFile();
    }

    /** Closes the log channel (index mappings are released by the garbage collector). */
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile + ", size=" + size + ")";
    }

    /**
     * Result of {@link #recover}.
     *
     * @param nextOffset offset after the last valid batch
     * @param bytesCut   bytes truncated from the end of the file
     */
    public record Recovered(long nextOffset, long bytesCut) {
    }
}

package dev.skiff.storage.internal;

import dev.skiff.protocol.record.BatchHeader;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory and brings it to a consistent state: the recovery procedure.
 *
 * <ol>
 *   <li>A cleaner pass cut short is finished or discarded ({@link SwapRecovery}): {@code *.cleaned} files are
 *       deleted, a committed {@code <base>.log.swap} replaces the segments it covers.</li>
 *   <li>Leftovers are removed: {@code *.deleted} segments, {@code *.tmp} files, index files without a log.</li>
 *   <li>After a clean shutdown every segment is trusted. Its indexes are sanity-checked (whole entries,
 *       increasing, within the segment) and only a segment whose indexes fail, or are missing, is scanned. The
 *       end of the last segment is found by scanning from its last offset-index entry only.</li>
 *   <li>After an unclean shutdown every segment from the one holding the recovery point on is scanned: each
 *       batch is validated ({@link BatchChecks}: framing, magic 2, contiguous offsets, CRC-32C), indexes are
 *       rebuilt, and the file is truncated at the first invalid batch. Older segments are trusted as above.</li>
 *   <li>If a segment does not end exactly where the next one begins (truncated, or data lost), every later
 *       segment is deleted: offsets stay contiguous and the log is the longest valid prefix. Segments below the
 *       cleaner checkpoint are the exception: compaction removed records there without renumbering the rest,
 *       so their batches need only increasing offsets that end before the next segment.</li>
 *   <li>Producer state is loaded from the newest valid snapshot at or below the log end and the batch headers
 *       after it are replayed. Snapshots past the end are deleted.</li>
 *   <li>Rebuilt segments are fsync'd, so the recovery point becomes the log end.</li>
 * </ol>
 */
public final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    private LogLoader() {
    }

    /**
     * Loads {@code dir}.
     *
     * @param hadCleanShutdown whether the clean-shutdown marker was present
     * @param recoveryPoint    the checkpointed recovery point, 0 when unknown
     */
    public static LoadedLog load(Path dir, int indexIntervalBytes, int maxIndexSize, boolean hadCleanShutdown,
                                 long recoveryPoint) throws IOException {
        return load(dir, indexIntervalBytes, maxIndexSize, hadCleanShutdown, recoveryPoint, 0L);
    }

    /**
     * Loads {@code dir}, a compacted log's directory.
     *
     * @param hadCleanShutdown whether the clean-shutdown marker was present
     * @param recoveryPoint    the checkpointed recovery point, 0 when unknown
     * @param cleanedUpTo      the cleaner checkpoint: segments below it may have offset gaps; 0 when never cleaned
     */
    public static LoadedLog load(Path dir, int indexIntervalBytes, int maxIndexSize, boolean hadCleanShutdown,
                                 long recoveryPoint, long cleanedUpTo) throws IOException {
        final TreeMap<Long, LogSegment> opened = new TreeMap<>();
        try {
            SwapRecovery.completeSwaps(dir);
            for (long base : cleanDirectory(dir)) {
                opened.put(base, LogSegment.open(dir, base, maxIndexSize));
            }
            if (opened.isEmpty()) {
                opened.put(0L, LogSegment.create(dir, 0L, maxIndexSize));
            }
            return loadSegments(dir, opened, indexIntervalBytes, maxIndexSize, hadCleanShutdown, recoveryPoint,
                    cleanedUpTo);
        } catch (IOException | RuntimeException e) {
            for (LogSegment s : opened.values()) {
                try {
                    s.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static LoadedLog loadSegments(Path dir, TreeMap<Long, LogSegment> opened, int indexIntervalBytes,
                                          int maxIndexSize, boolean clean, long recoveryPoint, long cleanedUpTo)
            throws IOException {
        final Long floor = opened.floorKey(recoveryPoint);
        final long firstToScan = clean ? Long.MAX_VALUE : floor == null ? opened.firstKey() : floor;
        final List<LogSegment> list = new ArrayList<>(opened.values());
        final List<LogSegment> rebuilt = new ArrayList<>();
        long bytesCut = 0;
        long nextOffset = list.get(0).baseOffset();
        int keep = list.size();
        for (int i = 0; i < list.size(); i++) {
            final LogSegment segment = list.get(i);
            final boolean last = i == list.size() - 1;
            final long nextBase = last ? Long.MAX_VALUE : list.get(i + 1).baseOffset();
            final boolean gapsAllowed = segment.baseOffset() < cleanedUpTo;
            long segmentEnd = -1L;
            if (segment.baseOffset() < firstToScan && segment.indexesAreSane(nextBase)) {
                if (last) {
                    segmentEnd = segment.loadCleanTail();
                } else {
                    segment.loadCleanInactive();
                    segmentEnd = nextBase;
                }
                if (segmentEnd < 0) {
                    LOG.warn("{} does not match its index; rebuilding it", segment.logFile());
                }
            } else if (segment.baseOffset() < firstToScan) {
                LOG.warn("Indexes of {} are missing or corrupt; rebuilding them", segment.logFile());
            }
            if (segmentEnd < 0) {
                final LogSegment.Recovered r = segment.recover(indexIntervalBytes, maxIndexSize, gapsAllowed, nextBase);
                rebuilt.add(segment);
                bytesCut += r.bytesCut();
                segmentEnd = r.nextOffset();
            }
            nextOffset = segmentEnd;
            if (!last && (gapsAllowed ? segmentEnd > nextBase : segmentEnd != nextBase)) {
                LOG.warn("{} ends at offset {} but the next segment starts at {}; deleting the segments after it",
                        segment.logFile(), segmentEnd, nextBase);
                keep = i + 1;
                break;
            }
        }
        for (int i = keep; i < list.size(); i++) {
            final LogSegment dropped = list.get(i);
            bytesCut += dropped.size();
            opened.remove(dropped.baseOffset());
            dropped.closeAndDelete();
        }
        final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>(opened);
        final LogSegment active = segments.lastEntry().getValue();
        for (LogSegment s : segments.values()) {
            if (s == active) {
                s.resizeIndexes(maxIndexSize);
            } else {
                s.onBecomeInactive();
            }
        }
        for (LogSegment s : rebuilt) {
            if (segments.containsKey(s.baseOffset())) {
                s.flush();
                s.flushIndexes();
            }
        }
        if (!rebuilt.isEmpty() || keep < list.size()) {
            LogFileNames.fsyncDirectory(dir);
        }
        final ProducerStateTable producers = loadProducerState(dir, segments, nextOffset);
        return new LoadedLog(segments, nextOffset, producers, rebuilt.size(), bytesCut);
    }

    /** Deletes leftovers and returns the base offsets of the segments, ascending. */
    private static List<Long> cleanDirectory(Path dir) throws IOException {
        final List<Path> indexes = new ArrayList<>();
        final TreeMap<Long, Path> logs = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                final String name = f.getFileName().toString();
                if (name.endsWith(LogFileNames.DELETED_SUFFIX) || name.endsWith(LogFileNames.TEMP_SUFFIX)) {
                    Files.deleteIfExists(f);
                } else if (name.endsWith(LogFileNames.INDEX_SUFFIX) || name.endsWith(LogFileNames.TIME_INDEX_SUFFIX)) {
                    indexes.add(f);
                } else {
                    final long base = LogFileNames.offsetOf(name, LogFileNames.LOG_SUFFIX);
                    if (base >= 0) {
                        logs.put(base, f);
                    }
                }
            }
        }
        for (Path index : indexes) {
            final String name = index.getFileName().toString();
            long base = LogFileNames.offsetOf(name, LogFileNames.INDEX_SUFFIX);
            if (base < 0) {
                base = LogFileNames.offsetOf(name, LogFileNames.TIME_INDEX_SUFFIX);
            }
            if (!logs.containsKey(base)) {
                Files.deleteIfExists(index);
            }
        }
        return new ArrayList<>(logs.keySet());
    }

    private static ProducerStateTable loadProducerState(Path dir, NavigableMap<Long, LogSegment> segments,
                                                        long logEndOffset) throws IOException {
        final ProducerStateTable table = new ProducerStateTable();
        final NavigableMap<Long, Path> snapshots = ProducerSnapshotFile.list(dir);
        for (Path beyond : snapshots.tailMap(logEndOffset, false).values()) {
            Files.deleteIfExists(beyond);
        }
        final long logStartOffset = segments.firstKey();
        long replayFrom = logStartOffset;
        for (Map.Entry<Long, Path> e : snapshots.headMap(logEndOffset, true).descendingMap().entrySet()) {
            if (ProducerSnapshotFile.read(e.getValue(), table)) {
                replayFrom = Math.max(e.getKey(), logStartOffset);
                break;
            }
            LOG.warn("Ignoring corrupt producer snapshot {}", e.getValue());
            Files.deleteIfExists(e.getValue());
        }
        if (replayFrom < logEndOffset) {
            replay(segments, replayFrom, table);
        }
        return table;
    }

    /** Applies the headers of every batch from {@code fromOffset} on to {@code table}. */
    private static void replay(NavigableMap<Long, LogSegment> segments, long fromOffset, ProducerStateTable table)
            throws IOException {
        final Long first = segments.floorKey(fromOffset);
        final BatchHeader header = new BatchHeader();
        for (LogSegment segment : segments.tailMap(first == null ? segments.firstKey() : first, true).values()) {
            final int size = segment.size();
            if (size == 0) {
                continue;
            }
            final MappedByteBuffer map = segment.channel().map(FileChannel.MapMode.READ_ONLY, 0, size);
            int position = segment.offsetIndex().lookup(fromOffset);
            while (position < size) {
                final int batchSize = BatchChecks.validSize(map, position, size, -1L, header, false);
                if (batchSize < 0) {
                    throw new IOException("Corrupt batch at byte " + position + " of " + segment.logFile()
                            + " while rebuilding producer state");
                }
                if (header.baseOffset() >= fromOffset) {
                    table.apply(header);
                }
                position += batchSize;
            }
        }
    }
}

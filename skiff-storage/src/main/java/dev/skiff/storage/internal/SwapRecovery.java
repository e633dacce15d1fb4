package dev.skiff.storage.internal;

import dev.skiff.protocol.record.BatchHeader;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or discards, at load, a segment replacement the cleaner did not complete.
 *
 * <p>The cleaner's protocol for one group of segments ({@link LogCompactor}):
 * <pre>
 *  1. write &lt;base&gt;.log|.index|.timeindex.cleaned, fsync        crash: .cleaned deleted here, old segments kept
 *  2. rename index files, then the log, to *.swap; fsync dir     the .log.swap rename is the commit point
 *  3. rename the replaced segments to *.deleted                  crash: completed here (below)
 *  4. rename *.swap to the final names; fsync dir                crash: completed here, or already done
 * </pre>
 * Completing means: the segments whose base offset lies in {@code [base, last offset in the .swap]} are deleted
 * (they are the ones the swap replaces: a group is a run of adjacent segments and the cleaned file holds only
 * their records) and {@code <base>.log.swap} becomes {@code <base>.log}. Index files of a swap are deleted and
 * rebuilt from the log rather than trusted, as Kafka does. If the cleaned group's last segments lost every
 * record, they are not covered by that range and stay: the log is consistent, only less compacted.
 */
public final class SwapRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(SwapRecovery.class);

    private SwapRecovery() {
    }

    /** Applies the rules above to {@code dir}; returns how many swaps were completed. */
    public static int completeSwaps(Path dir) throws IOException {
        final List<Path> swaps = new ArrayList<>();
        boolean changed = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                final String name = f.getFileName().toString();
                if (name.endsWith(LogFileNames.CLEANED_SUFFIX)) {
                    LOG.info("Deleting {}: a cleaner pass did not finish", f);
                    Files.deleteIfExists(f);
                    changed = true;
                } else if (name.endsWith(LogFileNames.SWAP_SUFFIX)) {
                    final String base = name.substring(0, name.length() - LogFileNames.SWAP_SUFFIX.length());
                    if (LogFileNames.offsetOf(base, LogFileNames.LOG_SUFFIX) >= 0) {
                        swaps.add(f);
                    } else {
                        Files.deleteIfExists(f);
                        changed = true;
                    }
                }
            }
        }
        for (Path swap : swaps) {
            final String name = swap.getFileName().toString();
            final String logName = name.substring(0, name.length() - LogFileNames.SWAP_SUFFIX.length());
            final long base = LogFileNames.offsetOf(logName, LogFileNames.LOG_SUFFIX);
            final long last = lastOffset(swap, base);
            for (long replaced : segmentBases(dir, base, last)) {
                Files.deleteIfExists(LogFileNames.logFile(dir, replaced));
                Files.deleteIfExists(LogFileNames.indexFile(dir, replaced));
                Files.deleteIfExists(LogFileNames.timeIndexFile(dir, replaced));
            }
            Files.move(swap, LogFileNames.logFile(dir, base), StandardCopyOption.REPLACE_EXISTING);
            LOG.info("Completed the replacement of the segments of {} from offset {} to {} by a cleaned segment",
                    dir.getFileName(), base, last);
            changed = true;
        }
        if (changed) {
            LogFileNames.fsyncDirectory(dir);
        }
        return swaps.size();
    }

    /** Base offsets of the {@code .log} files in {@code [from, to]}. */
    private static List<Long> segmentBases(Path dir, long from, long to) throws IOException {
        final List<Long> bases = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + LogFileNames.LOG_SUFFIX)) {
            for (Path f : files) {
                final long base = LogFileNames.offsetOf(f.getFileName().toString(), LogFileNames.LOG_SUFFIX);
                if (base >= from && base <= to) {
                    bases.add(base);
                }
            }
        }
        return bases;
    }

    /** The last offset of the last well-framed batch in {@code file}, or {@code base} when it has none. */
    private static long lastOffset(Path file, long base) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            final int limit = (int) Math.min(ch.size(), Integer.MAX_VALUE);
            if (limit == 0) {
                return base;
            }
            final MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, limit);
            final BatchHeader header = new BatchHeader();
            long last = base;
            int position = 0;
            while (position < limit) {
                final int size = BatchChecks.validSize(map, position, limit, -1L, header, false);
                if (size < 0) {
                    break;
                }
                last = Math.max(last, header.lastOffset());
                position += size;
            }
            return last;
        }
    }
}

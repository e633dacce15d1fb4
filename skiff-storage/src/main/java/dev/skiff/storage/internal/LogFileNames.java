package dev.skiff.storage.internal;

import dev.skiff.storage.TopicPartition;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * File and directory names of the on-disk layout, identical to Kafka's where Kafka has one.
 *
 * <pre>
 * &lt;logDir&gt;/
 *   .lock                               held (FileLock) while a LogManager has the directory open
 *   .skiff_cleanshutdown                present only between a clean close and the next open
 *   recovery-point-offset-checkpoint    per partition: offsets below this are fsync'd
 *   cleaner-offset-checkpoint           per compacted partition: offsets below this were cleaned at least once
 *   &lt;topic&gt;-&lt;partition&gt;/
 *     00000000000000000000.log          record batches exactly as on the wire
 *     00000000000000000000.index        sparse offset index
 *     00000000000000000000.timeindex    sparse time index
 *     00000000000000001234.snapshot     producer state as of offset 1234
 *     *.deleted                         segments removed by retention or replaced by the cleaner, closed after
 *                                       file.delete.delay.ms
 *     *.cleaned                         a segment the cleaner is writing; deleted at load
 *     *.swap                            a cleaned segment committed to replace the segments it covers; the
 *                                       replacement is completed at load
 * </pre>
 */
public final class LogFileNames {
    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String SNAPSHOT_SUFFIX = ".snapshot";
    public static final String DELETED_SUFFIX = ".deleted";
    public static final String TEMP_SUFFIX = ".tmp";
    public static final String CLEANED_SUFFIX = ".cleaned";
    public static final String SWAP_SUFFIX = ".swap";
    public static final String CLEANER_CHECKPOINT_FILE = "cleaner-offset-checkpoint";
    public static final String CLEAN_SHUTDOWN_FILE = ".skiff_cleanshutdown";
    public static final String RECOVERY_POINT_CHECKPOINT_FILE = "recovery-point-offset-checkpoint";
    public static final String LOCK_FILE = ".lock";

    private static final int OFFSET_DIGITS = 20;

    private LogFileNames() {
    }

    /** The 20-digit, zero-padded offset every segment file name starts with. */
    public static String offsetPrefix(long offset) {
        final String digits = Long.toString(offset);
        final StringBuilder sb = new StringBuilder(OFFSET_DIGITS);
        for (int i = digits.length(); i < OFFSET_DIGITS; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    public static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(offsetPrefix(baseOffset) + LOG_SUFFIX);
    }

    public static Path indexFile(Path dir, long baseOffset) {
        return dir.resolve(offsetPrefix(baseOffset) + INDEX_SUFFIX);
    }

    public static Path timeIndexFile(Path dir, long baseOffset) {
        return dir.resolve(offsetPrefix(baseOffset) + TIME_INDEX_SUFFIX);
    }

    public static Path snapshotFile(Path dir, long offset) {
        return dir.resolve(offsetPrefix(offset) + SNAPSHOT_SUFFIX);
    }

    /**
     * The offset a file name such as {@code 00000000000000000042.log} starts with, if it ends in {@code suffix}.
     *
     * @return the offset, or -1 when the name is not {@code <20 digits><suffix>}
     */
    public static long offsetOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix) || fileName.length() != OFFSET_DIGITS + suffix.length()) {
            return -1L;
        }
        long value = 0;
        for (int i = 0; i < OFFSET_DIGITS; i++) {
            final char c = fileName.charAt(i);
            if (c < '0' || c > '9') {
                return -1L;
            }
            value = value * 10 + (c - '0');
            if (value < 0) {
                return -1L;
            }
        }
        return value;
    }

    /** The partition a directory named {@code topic-partition} holds, or null for any other name. */
    public static TopicPartition parseLogDirName(String name) {
        if (name.startsWith(".")) {
            return null;
        }
        final int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1 || name.length() - dash - 1 > 10) {
            return null;
        }
        int partition = 0;
        for (int i = dash + 1; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            final long next = partition * 10L + (c - '0');
            if (next > Integer.MAX_VALUE) {
                return null;
            }
            partition = (int) next;
        }
        return new TopicPartition(name.substring(0, dash), partition);
    }

    /**
     * fsyncs a directory so that files created, renamed or deleted in it survive a crash.
     * Linux allows opening a directory for reading and forcing it; elsewhere this may be a no-op.
     */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open directories; the rename itself is then the best we have.
            if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
                return;
            }
            throw e;
        }
    }
}

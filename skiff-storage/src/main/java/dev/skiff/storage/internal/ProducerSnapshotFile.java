package dev.skiff.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A producer-state snapshot, {@code <20-digit offset>.snapshot}: the {@link ProducerStateTable} as it was after
 * every batch below that offset, so recovery replays only the batches after it.
 *
 * <pre>
 *  0        2                6                10
 * +--------+----------------+----------------+-------------------------------------------+
 * |version | crc (uint32)   | producerCount  | producer entries ...                      |
 * | int16=1| CRC-32C of     | int32          |                                           |
 * |        | bytes 6..end   |                |                                           |
 * +--------+----------------+----------------+-------------------------------------------+
 *  producer entry:
 * +-------------------+--------------+-----------------------+-----------------+------------------+
 * | producerId int64  | epoch int16  | lastTimestamp int64   | batchCount int8 | batches ...      |
 * +-------------------+--------------+-----------------------+-----------------+------------------+
 *  batch (oldest first, at most 5), 28 bytes:
 * +----------------+---------------+-------------------+------------------+------------------+
 * | firstSeq int32 | lastSeq int32 | firstOffset int64 | offsetDelta int32| timestamp int64  |
 * +----------------+---------------+-------------------+------------------+------------------+
 * </pre>
 *
 * Unlike Kafka's snapshot, which keeps one batch per producer, all five are kept so a retry is still recognised
 * after a restart. The CRC covers everything after itself; a file that fails it, or any bound, is ignored and
 * deleted, and recovery falls back to an older snapshot or to replaying the whole log. Files are written to a
 * temporary name and renamed, so a reader never sees a half-written snapshot under the final name.
 */
public final class ProducerSnapshotFile {
    public static final short VERSION = 1;
    private static final int HEADER_SIZE = 10;
    private static final int CRC_OFFSET = 2;
    private static final int COUNT_OFFSET = 6;
    private static final int PRODUCER_SIZE = 8 + 2 + 8 + 1;
    private static final int BATCH_SIZE = 4 + 4 + 8 + 4 + 8;

    private ProducerSnapshotFile() {
    }

    /** Snapshot files of {@code dir} by offset. */
    public static NavigableMap<Long, Path> list(Path dir) throws IOException {
        final NavigableMap<Long, Path> result = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + LogFileNames.SNAPSHOT_SUFFIX)) {
            for (Path f : files) {
                final long offset = LogFileNames.offsetOf(f.getFileName().toString(), LogFileNames.SNAPSHOT_SUFFIX);
                if (offset >= 0) {
                    result.put(offset, f);
                }
            }
        }
        return result;
    }

    /** Serialises the table. */
    public static ByteBuffer encode(ProducerStateTable table) {
        final int[] bytes = {HEADER_SIZE};
        table.forEach(e -> bytes[0] += PRODUCER_SIZE + e.batchCount() * BATCH_SIZE);
        final ByteBuffer buf = ByteBuffer.allocate(bytes[0]);
        buf.putShort(VERSION).putInt(0).putInt(table.size());
        table.forEach(e -> {
            buf.putLong(e.producerId()).putShort(e.epoch()).putLong(e.lastTimestamp()).put((byte) e.batchCount());
            for (int i = 0; i < e.batchCount(); i++) {
                buf.putInt(e.firstSeq(i)).putInt(e.lastSeq(i)).putLong(e.firstOffset(i))
                        .putInt((int) (e.lastOffset(i) - e.firstOffset(i))).putLong(e.timestamp(i));
            }
        });
        buf.flip();
        final CRC32C crc = new CRC32C();
        crc.update(buf.duplicate().position(COUNT_OFFSET));
        buf.putInt(CRC_OFFSET, (int) crc.getValue());
        return buf;
    }

    /**
     * Parses a snapshot into {@code into} (which is cleared first).
     *
     * @return false if the bytes are not a valid snapshot; {@code into} is then left empty
     */
    public static boolean decode(ByteBuffer buf, ProducerStateTable into) {
        into.clear();
        if (buf.remaining() < HEADER_SIZE || buf.getShort(buf.position()) != VERSION) {
            return false;
        }
        final int start = buf.position();
        final CRC32C crc = new CRC32C();
        crc.update(buf.duplicate().position(start + COUNT_OFFSET));
        if ((int) crc.getValue() != buf.getInt(start + CRC_OFFSET)) {
            return false;
        }
        final ByteBuffer in = buf.duplicate().position(start + HEADER_SIZE);
        final int producers = buf.getInt(start + COUNT_OFFSET);
        if (producers < 0) {
            return false;
        }
        for (int p = 0; p < producers; p++) {
            if (in.remaining() < PRODUCER_SIZE) {
                into.clear();
                return false;
            }
            final long producerId = in.getLong();
            final short epoch = in.getShort();
            in.getLong();
            final int batches = in.get();
            if (batches < 0 || batches > ProducerEntry.BATCHES_TO_RETAIN || in.remaining() < batches * BATCH_SIZE) {
                into.clear();
                return false;
            }
            final ProducerEntry entry = new ProducerEntry(producerId, epoch);
            for (int b = 0; b < batches; b++) {
                final int firstSeq = in.getInt();
                final int lastSeq = in.getInt();
                final long firstOffset = in.getLong();
                final int delta = in.getInt();
                final long timestamp = in.getLong();
                entry.addBatch(epoch, firstSeq, lastSeq, firstOffset, firstOffset + delta, timestamp);
            }
            into.put(entry);
        }
        if (in.hasRemaining()) {
            into.clear();
            return false;
        }
        return true;
    }

    /**
     * Writes a snapshot of {@code table} as {@code file} via a temporary file and a rename.
     *
     * @param fsync whether to fsync the file before the rename; the log's writer passes false and leaves the
     *              fsync to the flusher thread
     */
    public static void write(Path file, ProducerStateTable table, boolean fsync) throws IOException {
        final ByteBuffer bytes = encode(table);
        final Path temp = file.resolveSibling(file.getFileName() + LogFileNames.TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            if (fsync) {
                ch.force(true);
            }
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads {@code file} into {@code into}; false if it is missing or invalid. */
    public static boolean read(Path file, ProducerStateTable into) throws IOException {
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            into.clear();
            return false;
        }
        return decode(ByteBuffer.wrap(bytes), into);
    }

    /** fsyncs an existing file (the flusher's half of {@link #write} with {@code fsync = false}). */
    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (java.nio.file.NoSuchFileException e) {
            // Deleted since (retention or a newer snapshot); nothing to make durable.
        }
    }
}

package dev.skiff.storage.internal;

import dev.skiff.storage.TopicPartition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <logDir>/recovery-point-offset-checkpoint}: per partition, the offset below which the log is known to
 * be fsync'd, in Kafka's text format.
 *
 * <pre>
 *  0                      version
 *  2                      number of entries
 *  orders 0 1234          topic SPACE partition SPACE recovery point
 *  orders 1 998
 * </pre>
 *
 * After an unclean shutdown only segments from the one holding the recovery point on are scanned. The file is
 * replaced atomically (temporary file, fsync, rename, directory fsync), so it is either the old or the new
 * version. It has no checksum: a file that does not parse is ignored with a warning, which costs a full scan and
 * never correctness, because a missing entry means "recover from the start".
 */
public final class RecoveryPointCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryPointCheckpoint.class);
    private static final int VERSION = 0;

    private RecoveryPointCheckpoint() {
    }

    /** Reads the checkpoint of {@code logDir}; empty when missing or malformed. */
    public static Map<TopicPartition, Long> read(Path logDir) {
        return read(logDir, LogFileNames.RECOVERY_POINT_CHECKPOINT_FILE);
    }

    /**
     * Reads {@code <logDir>/<fileName>}, any per-partition offset checkpoint in this format (the cleaner's
     * {@code cleaner-offset-checkpoint} too); empty when missing or malformed.
     */
    public static Map<TopicPartition, Long> read(Path logDir, String fileName) {
        final Path file = logDir.resolve(fileName);
        final List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            LOG.warn("Cannot read {}; ignoring it", file, e);
            return Map.of();
        }
        try {
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new IllegalArgumentException("unknown version or missing header");
            }
            final int count = Integer.parseInt(lines.get(1).trim());
            if (count < 0 || lines.size() < 2 + count) {
                throw new IllegalArgumentException("expected " + count + " entries");
            }
            final Map<TopicPartition, Long> points = new HashMap<>();
            for (int i = 0; i < count; i++) {
                final String[] parts = lines.get(2 + i).trim().split(" ");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("malformed line " + (i + 3));
                }
                points.put(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
            }
            return points;
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring malformed {} ({})", file, e.getMessage());
            return Map.of();
        }
    }

    /** Replaces the checkpoint of {@code logDir} with {@code points}. */
    public static void write(Path logDir, Map<TopicPartition, Long> points) throws IOException {
        write(logDir, LogFileNames.RECOVERY_POINT_CHECKPOINT_FILE, points);
    }

    /** Replaces {@code <logDir>/<fileName>} with {@code points}, atomically. */
    public static void write(Path logDir, String fileName, Map<TopicPartition, Long> points) throws IOException {
        final StringBuilder sb = new StringBuilder();
        sb.append(VERSION).append('\n').append(points.size()).append('\n');
        for (Map.Entry<TopicPartition, Long> e : points.entrySet()) {
            sb.append(e.getKey().topic()).append(' ').append(e.getKey().partition()).append(' ')
                    .append(e.getValue()).append('\n');
        }
        final Path file = logDir.resolve(fileName);
        final Path temp = logDir.resolve(fileName + LogFileNames.TEMP_SUFFIX);
        final ByteBuffer bytes = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LogFileNames.fsyncDirectory(logDir);
    }
}

package dev.skiff.broker.internal.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Hands out producer ids that are never reused, across restarts too.
 *
 * <p>Ids are reserved in blocks: the end of the current block is written (and renamed into place)
 * before any id of it is handed out, so after a crash the broker continues after the block and an
 * id given to a producer before the crash cannot be given to another one.
 */
public final class ProducerIdManager {
    private static final long BLOCK_SIZE = 1000;

    private final Path file;
    private long next;
    private long blockEnd;

    public ProducerIdManager(Path logDir) {
        this.file = logDir.resolve(".skiff-producer-id-block");
        long start = 0;
        try {
            if (Files.exists(file)) {
                start = Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Cannot read producer id block file " + file + ": " + e.getMessage(), e);
        }
        this.next = start;
        this.blockEnd = start;
    }

    /** The next unused producer id. */
    public synchronized long nextProducerId() {
        if (next >= blockEnd) {
            reserve(next + BLOCK_SIZE);
        }
        return next++;
    }

    private void reserve(long end) {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, Long.toString(end), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reserve producer ids in " + file, e);
        }
        blockEnd = end;
    }
}

package dev.skiff.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.protocol.record.BatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Shared helpers for storage tests: a settable clock, crash simulation, reading a whole log back. */
public final class StorageTestSupport {
    private StorageTestSupport() {
    }

    /** A clock tests move by hand. */
    public static final class MutableClock extends Clock {
        private volatile long millis;

        public MutableClock(long millis) {
            this.millis = millis;
        }

        public void set(long value) {
            millis = value;
        }

        public void advance(long delta) {
            millis += delta;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    /**
     * Copies a log directory that is open, as a kill -9 would leave it with the page cache intact: no clean
     * shutdown marker, preallocated indexes, whatever checkpoint and snapshots exist. The lock file stays behind.
     */
    public static void crashCopy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.getFileName().toString().equals(".lock")) {
                    Files.copy(file, to.resolve(from.relativize(file)));
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes a directory tree. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Waits for a condition, polling briefly, failing after {@code timeout}. */
    public static void await(BooleanSupplier condition, Duration timeout, String what) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Splits back-to-back batches into one buffer each. */
    public static List<ByteBuffer> splitBatches(ByteBuffer data) {
        final List<ByteBuffer> result = new ArrayList<>();
        int position = data.position();
        while (position < data.limit()) {
            final int size = BatchHeader.LOG_OVERHEAD + data.getInt(position + BatchHeader.LENGTH_OFFSET);
            result.add(data.duplicate().position(position).limit(position + size).slice());
            position += size;
        }
        return result;
    }

    /** Every batch of the log, read through {@link PartitionLog#read} from start to end. */
    public static List<ByteBuffer> readAll(PartitionLog log) {
        final List<ByteBuffer> result = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            final FileRecords records = log.read(offset, 64 * 1024);
            assertThat(records.sizeInBytes()).isPositive();
            for (ByteBuffer b : splitBatches(records.readInto())) {
                final BatchHeader h = new BatchHeader().wrap(b, 0);
                assertThat(h.isCrcValid()).as("CRC of batch at offset %d", h.baseOffset()).isTrue();
                assertThat(h.baseOffset()).as("batches are contiguous").isEqualTo(offset);
                result.add(b);
                offset = h.lastOffset() + 1;
            }
        }
        return result;
    }

    /** The header of a batch buffer. */
    public static BatchHeader header(ByteBuffer batch) {
        return new BatchHeader().wrap(batch, batch.position());
    }

    /** A small config for tests: tiny segments, immediate file deletion. */
    public static LogConfig.Builder small() {
        return LogConfig.builder().segmentBytes(1024).fileDeleteDelayMs(0).indexIntervalBytes(128)
                .segmentIndexBytes(4096);
    }

    /** Default timeout for a storage test. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
}

package dev.skiff.storage.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A memory-mapped file of fixed-size entries, the common part of {@link OffsetIndex} and {@link TimeIndex}.
 *
 * <p>Why mmap: lookups are binary searches that touch a handful of entries, and appends are two or three
 * stores; a mapping makes both plain memory accesses with no syscalls, which is what Kafka does too.
 * A new file is preallocated to {@code segment.index.bytes} so appends never grow it; when the segment
 * stops being active (roll, close) the file is trimmed to the entries it holds, so a trimmed file's
 * length tells how many entries it has.
 *
 * <p>Concurrency: one writer (the log's appender) adds entries and publishes the count through a volatile
 * field after the entry's bytes are stored; readers take the count first, then the mapping, and only read
 * entries below that count. Remapping (trim, resize) swaps in a new mapping of the same file, and the old
 * one stays valid for every entry below the count, so readers never need a lock.
 */
public abstract class MappedIndex {
    protected final long baseOffset;
    private final int entrySize;
    private volatile Path file;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;
    private volatile int maxEntries;
    private final boolean lengthWasExact;

    /**
     * Opens {@code file}, creating it preallocated to {@code maxIndexSize} (rounded down to whole entries) when
     * it is missing or empty. An existing file is taken to hold {@code length / entrySize} entries, as a trimmed
     * index does; {@link #isLengthExact()} says whether its length was a whole number of entries.
     */
    protected MappedIndex(Path file, long baseOffset, int entrySize, int maxIndexSize) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            final boolean created = raf.length() == 0;
            if (created) {
                raf.setLength(roundDown(maxIndexSize));
            }
            final long length = raf.length();
            if (length > Integer.MAX_VALUE) {
                throw new IOException("Index file " + file + " is larger than 2 GiB: " + length + " bytes");
            }
            this.lengthWasExact = created || length % entrySize == 0;
            final int usable = roundDown((int) length);
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, usable);
            this.entries = created ? 0 : usable / entrySize;
            this.maxEntries = usable / entrySize;
        }
    }

    private int roundDown(int bytes) {
        return bytes - bytes % entrySize;
    }

    /** The file's current path (it changes when the segment is renamed for deletion). */
    public Path file() {
        return file;
    }

    /** Number of entries written. */
    public int entries() {
        return entries;
    }

    /** Entries the current mapping has room for. */
    public int maxEntries() {
        return maxEntries;
    }

    /** True when no further entry fits; the segment then rolls. */
    public boolean isFull() {
        return entries >= maxEntries;
    }

    /** Whether the file's length was a whole number of entries when opened (false hints at a torn file). */
    public boolean isLengthExact() {
        return lengthWasExact;
    }

    /** The mapping to read entries from; take {@link #entries()} first. */
    protected MappedByteBuffer buffer() {
        return mmap;
    }

    /** Publishes a new entry count after the entry's bytes were stored (writer only). */
    protected void publishEntries(int count) {
        entries = count;
    }

    /** Forgets every entry so the index can be rebuilt from the log (recovery only, no readers). */
    public void reset() {
        entries = 0;
    }

    /** Keeps only the first {@code count} entries (writer only). */
    public void truncateEntries(int count) {
        if (count < entries) {
            entries = count;
        }
    }

    /**
     * Changes the file length to {@code sizeBytes} rounded down to whole entries, never below the entries held,
     * and remaps it. Used to extend the active segment's index to {@code segment.index.bytes} after loading.
     */
    public void resize(int sizeBytes) throws IOException {
        final int target = Math.max(roundDown(sizeBytes), entries * entrySize);
        if (target == mmap.capacity()) {
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(target);
            mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, target);
            maxEntries = target / entrySize;
        }
    }

    /** Shrinks the file to exactly the entries it holds, so its length records the entry count. */
    public void trimToValidSize() throws IOException {
        resize(entries * entrySize);
    }

    /** Writes dirty pages of the mapping to disk. */
    public void flush() {
        mmap.force();
    }

    /** Renames the file (segment deletion); the mapping stays valid. */
    public void renameTo(Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        file = target;
    }

    /** Deletes the file if it exists; the mapping is released when it is garbage collected. */
    public void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }
}

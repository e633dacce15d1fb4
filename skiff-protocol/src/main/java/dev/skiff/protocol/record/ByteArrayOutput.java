package dev.skiff.protocol.record;

import dev.skiff.protocol.DecodeException;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array that codecs write into, with a hard ceiling on its size.
 *
 * <p>Why not {@code ByteArrayOutputStream}: codecs here write straight into the backing array (LZ4 and
 * snappy blocks, zstd one-shot frames) and the reader parses records from it in place, so the array
 * must be reachable without a copy. The ceiling turns a decompression bomb into a
 * {@link DecodeException} instead of an {@code OutOfMemoryError}. Instances are reused between
 * batches by {@link #reset()}; not thread-safe.
 */
final class ByteArrayOutput extends OutputStream {
    /** The largest array the JVM reliably allocates. */
    static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;

    private final int maxSize;
    private byte[] array;
    private int size;

    ByteArrayOutput(int initialCapacity, int maxSize) {
        this.maxSize = Math.min(maxSize, MAX_ARRAY_SIZE);
        this.array = new byte[Math.max(0, Math.min(initialCapacity, this.maxSize))];
    }

    /** Forgets the content but keeps the array for the next batch. */
    void reset() {
        size = 0;
    }

    byte[] array() {
        return array;
    }

    int size() {
        return size;
    }

    int maxSize() {
        return maxSize;
    }

    /**
     * Makes room for up to {@code wanted} more bytes without passing the ceiling and returns how many
     * bytes may now be written at {@link #size()}; zero means the ceiling is reached.
     */
    int reserve(int wanted) {
        final long target = Math.min((long) size + Math.max(wanted, 0), maxSize);
        if (target > array.length) {
            final long doubled = Math.min((long) array.length * 2, maxSize);
            array = Arrays.copyOf(array, (int) Math.max(target, doubled));
        }
        return Math.min(array.length, maxSize) - size;
    }

    /** Like {@link #reserve(int)} but every one of {@code needed} bytes must fit. */
    void require(int needed) {
        if (needed < 0 || reserve(needed) < needed) {
            throw tooLarge();
        }
    }

    /** Accounts for {@code n} bytes written directly into {@link #array()} at {@link #size()}. */
    void advance(int n) {
        size += n;
    }

    DecodeException tooLarge() {
        return new DecodeException("decompressed records exceed the limit of " + maxSize + " bytes");
    }

    @Override
    public void write(int b) {
        require(1);
        array[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        require(len);
        System.arraycopy(b, off, array, size, len);
        size += len;
    }
}

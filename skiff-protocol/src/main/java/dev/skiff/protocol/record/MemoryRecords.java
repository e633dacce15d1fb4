package dev.skiff.protocol.record;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Record batches held in a {@link ByteBuffer}; the buffer's position..limit is the payload.
 *
 * <p>Instances never copy: a decoded Produce request keeps a slice of the request frame here, and
 * that slice is what the log appends.
 */
public final class MemoryRecords implements Records {
    /** A zero-length records payload. */
    public static final MemoryRecords EMPTY = new MemoryRecords(ByteBuffer.allocate(0));

    private final ByteBuffer buffer;

    private MemoryRecords(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** Wraps the remaining bytes of {@code buffer} (not copied; the caller gives up ownership). */
    public static MemoryRecords readableRecords(ByteBuffer buffer) {
        return new MemoryRecords(Objects.requireNonNull(buffer, "buffer").slice());
    }

    /** A read-only view of the payload, positioned at its start. */
    public ByteBuffer buffer() {
        return buffer.duplicate();
    }

    /** A strict iterator over the batches of this payload (see {@link BatchIterator}). */
    public BatchIterator batches() {
        return new BatchIterator(buffer);
    }

    @Override
    public int sizeInBytes() {
        return buffer.remaining();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemoryRecords && ((MemoryRecords) o).buffer.equals(buffer);
    }

    @Override
    public int hashCode() {
        return buffer.hashCode();
    }

    @Override
    public String toString() {
        return "MemoryRecords(" + buffer.remaining() + " bytes)";
    }
}

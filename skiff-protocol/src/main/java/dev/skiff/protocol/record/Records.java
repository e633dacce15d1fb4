package dev.skiff.protocol.record;

/**
 * A run of record batches as carried in the {@code records} fields of Produce and Fetch messages.
 *
 * <p>Two shapes exist: {@link MemoryRecords} (bytes in memory, e.g. a slice of a received Produce
 * request) and file-backed regions supplied by the storage layer, which the broker writes to the
 * socket without copying them through the heap.
 */
public interface Records {
    /** Number of bytes these records occupy on the wire. */
    int sizeInBytes();
}

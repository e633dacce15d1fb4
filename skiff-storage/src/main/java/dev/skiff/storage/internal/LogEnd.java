package dev.skiff.storage.internal;

/**
 * Where the log ends, published as one immutable value after every append so a reader sees an offset and a
 * file position that belong together: every batch below {@code offset} lies in {@code segment} before
 * {@code position}, or in an earlier segment.
 *
 * @param offset   the log end offset (next offset to assign)
 * @param segment  the active segment
 * @param position bytes of the active segment that hold complete batches
 */
public record LogEnd(long offset, LogSegment segment, int position) {
}

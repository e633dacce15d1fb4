package dev.skiff.storage;

/**
 * An offset and the timestamp of the record at it, the answer to a ListOffsets lookup by time.
 *
 * @param offset    the record's offset
 * @param timestamp the record's timestamp (CreateTime or LogAppendTime, as stored in its batch)
 */
public record OffsetAndTimestamp(long offset, long timestamp) {
}

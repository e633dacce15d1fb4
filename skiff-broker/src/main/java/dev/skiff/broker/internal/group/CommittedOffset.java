package dev.skiff.broker.internal.group;

/**
 * One committed offset of a group for a partition, as OffsetCommit stored it.
 *
 * @param offset            the next offset the group will consume
 * @param leaderEpoch       the leader epoch of the record before {@code offset}, or -1
 * @param metadata          the client's free-form metadata (may be null)
 * @param commitTimestampMs broker time of the commit; drives offsets.retention.minutes for simple groups
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {
}

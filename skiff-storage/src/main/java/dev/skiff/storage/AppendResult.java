package dev.skiff.storage;

import dev.skiff.protocol.Errors;

/**
 * The outcome of {@link PartitionLog#append}: appended, recognised as a retry, or rejected by the producer-state
 * (idempotence) rules, or refused because a record breaks the log's rules (a keyless record in a compacted log).
 *
 * <p>How the broker answers each status:
 * <table>
 * <caption>status to Produce response</caption>
 * <tr><th>status</th><th>error code</th><th>offsets</th></tr>
 * <tr><td>{@link Status#APPENDED}</td><td>{@link Errors#NONE}</td><td>the offsets just assigned</td></tr>
 * <tr><td>{@link Status#DUPLICATE}</td><td>{@link Errors#NONE} (as Kafka does since 2.x; the legacy
 *     {@link Errors#DUPLICATE_SEQUENCE_NUMBER} is not sent)</td><td>the offsets the ORIGINAL batch got</td></tr>
 * <tr><td>{@link Status#OUT_OF_ORDER_SEQUENCE}</td><td>{@link Errors#OUT_OF_ORDER_SEQUENCE_NUMBER}</td>
 *     <td>-1</td></tr>
 * <tr><td>{@link Status#INVALID_PRODUCER_EPOCH}</td><td>{@link Errors#INVALID_PRODUCER_EPOCH}</td><td>-1</td></tr>
 * <tr><td>{@link Status#INVALID_RECORD}</td><td>{@link Errors#INVALID_RECORD}, with {@link #message()} as the
 *     error message (Kafka's wording, e.g. for a record without a key in a compacted topic)</td><td>-1</td></tr>
 * </table>
 *
 * @param status         what happened
 * @param firstOffset    base offset of the first batch, or -1 when rejected
 * @param lastOffset     last offset of the last batch, or -1 when rejected
 * @param logAppendTime  the broker time written into LogAppendTime batches, else -1 (Kafka's NO_TIMESTAMP)
 * @param logStartOffset the log start offset after the append
 * @param message        why a batch was rejected, for the response's error message; null when accepted
 */
public record AppendResult(Status status, long firstOffset, long lastOffset, long logAppendTime,
                           long logStartOffset, String message) {

    /** What the append did. */
    public enum Status {
        /** Written; offsets assigned. */
        APPENDED,
        /** A retry of a batch already in the log; nothing written, offsets are the original ones. */
        DUPLICATE,
        /** A sequence gap or a non-zero first sequence after an epoch bump; nothing written. */
        OUT_OF_ORDER_SEQUENCE,
        /** The producer epoch is older than the one the log has seen (a zombie producer); nothing written. */
        INVALID_PRODUCER_EPOCH,
        /** A record is not allowed in this log (no key in a compacted log); nothing written. */
        INVALID_RECORD;

        /** The Produce response error code for this status. */
        public Errors error() {
            switch (this) {
                case OUT_OF_ORDER_SEQUENCE:
                    return Errors.OUT_OF_ORDER_SEQUENCE_NUMBER;
                case INVALID_PRODUCER_EPOCH:
                    return Errors.INVALID_PRODUCER_EPOCH;
                case INVALID_RECORD:
                    return Errors.INVALID_RECORD;
                default:
                    return Errors.NONE;
            }
        }
    }

    /** A rejection: no offsets. */
    public static AppendResult rejected(Status status, long logStartOffset, String message) {
        return new AppendResult(status, -1L, -1L, -1L, logStartOffset, message);
    }
}

package dev.skiff.storage;

import dev.skiff.protocol.Errors;

/**
 * A read asked for an offset below the log start offset or above the log end offset.
 *
 * <p>The broker answers {@link Errors#OFFSET_OUT_OF_RANGE}; consumers then apply their
 * {@code auto.offset.reset} policy.
 */
public final class OffsetOutOfRangeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long requestedOffset;
    private final long logStartOffset;
    private final long logEndOffset;

    /** Describes the requested offset and the valid range {@code [logStartOffset, logEndOffset]}. */
    public OffsetOutOfRangeException(TopicPartition tp, long requestedOffset, long logStartOffset, long logEndOffset) {
        super("Offset " + requestedOffset + " is out of range for " + tp + ": the log holds ["
                + logStartOffset + ", " + logEndOffset + ")");
        this.requestedOffset = requestedOffset;
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    /** The Kafka error code to answer with. */
    public Errors error() {
        return Errors.OFFSET_OUT_OF_RANGE;
    }

    public long requestedOffset() {
        return requestedOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}

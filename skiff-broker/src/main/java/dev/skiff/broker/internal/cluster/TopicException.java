package dev.skiff.broker.internal.cluster;

import dev.skiff.protocol.Errors;

/** A topic operation was refused with a Kafka error code and a message for the client. */
public final class TopicException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Errors error;

    public TopicException(Errors error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}

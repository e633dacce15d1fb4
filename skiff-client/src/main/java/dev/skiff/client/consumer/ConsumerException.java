package dev.skiff.client.consumer;

import dev.skiff.protocol.Errors;

/**
 * The consumer could not do what was asked. The message says what happened and what to do;
 * {@link #error()} is the broker's error code when one caused it (for example
 * UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE, TOPIC_AUTHORIZATION_FAILED), NETWORK_EXCEPTION or
 * REQUEST_TIMED_OUT when no broker answered, else {@link Errors#NONE}.
 */
public class ConsumerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Errors error;

    public ConsumerException(String message) {
        this(message, Errors.NONE, null);
    }

    public ConsumerException(String message, Errors error) {
        this(message, error, null);
    }

    public ConsumerException(String message, Errors error, Throwable cause) {
        super(message, cause);
        this.error = error == null ? Errors.NONE : error;
    }

    /** The error behind this failure, or {@link Errors#NONE}. */
    public Errors error() {
        return error;
    }
}

package dev.skiff.client.producer;

import dev.skiff.protocol.Errors;

/**
 * A record could not be delivered. The message says what happened and what to change; {@link #error()}
 * is the broker's error code when one caused it.
 *
 * <p>Subclasses name the common cases: {@link BufferExhaustedException}, {@link RecordTooLargeException},
 * {@link DeliveryTimeoutException}, {@link ProducerClosedException}.
 */
public class ProducerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Errors error;

    public ProducerException(String message) {
        this(message, Errors.NONE, null);
    }

    public ProducerException(String message, Throwable cause) {
        this(message, Errors.NONE, cause);
    }

    public ProducerException(String message, Errors error, Throwable cause) {
        super(message, cause);
        this.error = error == null ? Errors.NONE : error;
    }

    /** The broker error behind this failure, or {@link Errors#NONE} when it arose in the client. */
    public Errors error() {
        return error;
    }
}

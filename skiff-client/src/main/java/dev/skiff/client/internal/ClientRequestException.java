package dev.skiff.client.internal;

import dev.skiff.protocol.Errors;

/**
 * A request made through {@link SyncClient} got no usable answer. The admin helper and the consumer
 * turn it into their own exception, keeping its message, which names the broker and what to check.
 */
public final class ClientRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why no answer came. */
    public enum Reason {
        /** No bootstrap address accepted a connection before the deadline. */
        UNREACHABLE,
        /** The deadline passed while waiting for a connection or an answer. */
        TIMEOUT,
        /** The connection broke before the answer came. */
        DISCONNECTED,
        /** The broker speaks no version of the API that this client speaks. */
        UNSUPPORTED_VERSION,
        /** {@link SyncClient#wakeup()} interrupted the wait. */
        WAKEUP
    }

    private final Reason reason;
    private final transient Errors error;

    public ClientRequestException(Reason reason, Errors error, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.error = error;
    }

    public Reason reason() {
        return reason;
    }

    /** The Kafka error code that fits best: NETWORK_EXCEPTION, REQUEST_TIMED_OUT or UNSUPPORTED_VERSION. */
    public Errors error() {
        return error;
    }

    /** Whether trying again later may succeed (not for an unsupported version or a wakeup). */
    public boolean isRetriable() {
        return reason == Reason.TIMEOUT || reason == Reason.DISCONNECTED;
    }
}

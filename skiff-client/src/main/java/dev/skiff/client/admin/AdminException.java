package dev.skiff.client.admin;

import dev.skiff.protocol.Errors;

/**
 * An admin operation failed. The message is one line saying what happened and what to do, fit to print
 * as is; {@link #error()} is the broker's error code (for example TOPIC_ALREADY_EXISTS,
 * UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR,
 * INVALID_CONFIG), or NETWORK_EXCEPTION / REQUEST_TIMED_OUT / UNSUPPORTED_VERSION when the failure arose
 * in the client.
 */
public class AdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Errors error;

    public AdminException(String message, Errors error) {
        this(message, error, null);
    }

    public AdminException(String message, Errors error, Throwable cause) {
        super(message, cause);
        this.error = error == null ? Errors.NONE : error;
    }

    /** The error behind this failure; {@link Errors#NONE} when none applies. */
    public Errors error() {
        return error;
    }
}

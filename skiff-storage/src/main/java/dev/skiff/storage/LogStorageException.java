package dev.skiff.storage;

import dev.skiff.protocol.Errors;

/**
 * The disk failed under a log: an I/O error while appending, reading, flushing or deleting.
 *
 * <p>The cause is kept. The broker answers {@link Errors#KAFKA_STORAGE_ERROR}, which clients retry; an operator
 * should look at the log directory (full disk, permissions, hardware). A log whose append failed half-way
 * truncates back to its last complete batch before it accepts more.
 */
public final class LogStorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An I/O failure with what was being done. */
    public LogStorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure without an underlying exception, such as a log used after it was closed. */
    public LogStorageException(String message) {
        super(message);
    }

    /** The Kafka error code to answer with. */
    public Errors error() {
        return Errors.KAFKA_STORAGE_ERROR;
    }
}

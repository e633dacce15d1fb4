package dev.skiff.client.producer;

import dev.skiff.protocol.Errors;

/** A record is larger than max.request.size or buffer.memory, or the broker refused its batch as too large. */
public class RecordTooLargeException extends ProducerException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(String message) {
        super(message);
    }

    public RecordTooLargeException(String message, Errors error, Throwable cause) {
        super(message, error, cause);
    }
}

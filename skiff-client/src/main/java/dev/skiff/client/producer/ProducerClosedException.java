package dev.skiff.client.producer;

import dev.skiff.protocol.Errors;

/** The producer was closed before the record could be sent. */
public class ProducerClosedException extends ProducerException {
    private static final long serialVersionUID = 1L;

    public ProducerClosedException(String message) {
        super(message);
    }

    public ProducerClosedException(String message, Errors error, Throwable cause) {
        super(message, error, cause);
    }
}

package dev.skiff.client.producer;

import dev.skiff.protocol.Errors;

/** buffer.memory stayed exhausted for max.block.ms, or trySend found no room. */
public class BufferExhaustedException extends ProducerException {
    private static final long serialVersionUID = 1L;

    public BufferExhaustedException(String message) {
        super(message);
    }

    public BufferExhaustedException(String message, Errors error, Throwable cause) {
        super(message, error, cause);
    }
}

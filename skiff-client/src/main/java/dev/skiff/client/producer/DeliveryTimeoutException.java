package dev.skiff.client.producer;

import dev.skiff.protocol.Errors;

/**
 * A record was not acknowledged within delivery.timeout.ms, or its topic's metadata did not arrive within
 * max.block.ms.
 */
public class DeliveryTimeoutException extends ProducerException {
    private static final long serialVersionUID = 1L;

    public DeliveryTimeoutException(String message) {
        super(message);
    }

    public DeliveryTimeoutException(String message, Errors error, Throwable cause) {
        super(message, error, cause);
    }
}

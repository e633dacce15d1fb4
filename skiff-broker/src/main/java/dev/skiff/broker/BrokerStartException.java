package dev.skiff.broker;

/** The broker could not start: its log directory or listener could not be opened. */
public class BrokerStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.skiff.client.serde;

/** A key or value could not be turned into bytes; the record is not sent. */
public class SerializationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SerializationException(String message) {
        super(message);
    }

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}

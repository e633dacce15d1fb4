package dev.skiff.protocol;

/**
 * Input bytes do not form a valid message: truncated, a negative or oversized length, a bad varint.
 *
 * <p>Every decoder in Skiff reports malformed input with this exception and nothing else, so the
 * network layer can answer or close the connection deliberately instead of failing unexpectedly.
 */
public class DecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DecodeException(String message) {
        super(message);
    }

    public DecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}

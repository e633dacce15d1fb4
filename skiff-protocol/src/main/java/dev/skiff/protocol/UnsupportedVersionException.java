package dev.skiff.protocol;

/**
 * A message cannot be read or written in the requested version: the version is outside the message's
 * range, or a field that version lacks holds a value that would be lost.
 *
 * <p>Brokers answer requests that trigger it with {@link Errors#UNSUPPORTED_VERSION}.
 */
public class UnsupportedVersionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedVersionException(String message) {
        super(message);
    }
}

package dev.skiff.client.producer;

/**
 * A producer configuration key is unknown, its value is malformed or out of range, or two values
 * contradict each other.
 *
 * <p>The message is one line naming the key, the value given and what is allowed, so an application
 * can print it as-is.
 */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The standard message: {@code Invalid value V for configuration K: ALLOWED}. */
    public static ConfigException invalid(String key, Object value, String allowed) {
        return new ConfigException("Invalid value " + value + " for configuration " + key + ": " + allowed);
    }
}

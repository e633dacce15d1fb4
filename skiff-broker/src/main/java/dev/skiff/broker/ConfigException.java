package dev.skiff.broker;

/**
 * A broker configuration value is missing, malformed or out of range.
 *
 * <p>The message is one line naming the key, the value given and what is allowed, so that it can be
 * printed as-is when start-up stops.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** Builds the standard message: {@code Invalid value V for configuration K: WHY}. */
    public static ConfigException invalid(String key, Object value, String allowed) {
        return new ConfigException("Invalid value " + value + " for configuration " + key + ": " + allowed);
    }
}

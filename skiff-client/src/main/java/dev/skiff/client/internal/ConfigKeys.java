package dev.skiff.client.internal;

import dev.skiff.client.producer.ConfigException;
import dev.skiff.protocol.record.CompressionType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A table of Kafka-style configuration keys (name, default, kind, what is allowed) and the parser that
 * turns given properties into typed values, failing with a {@link ConfigException} that names the key,
 * the value and what is allowed.
 *
 * <p>Design note: the producer, the consumer and the admin helper validate their settings the same way;
 * this table keeps that one rule in one place for all of them. Values may be given as text or typed
 * (Integer, Long, Boolean, Class, an instance for class keys).
 */
public final class ConfigKeys {
    /** How a key's value is read. */
    public enum Kind {
        HOSTS, STRING, ACKS, BOOLEAN, INT, POSITIVE_INT, LONG, POSITIVE_LONG, COMPRESSION, CHOICE, CLASS
    }

    private record Key(String name, String defaultValue, Kind kind, String allowed, List<String> choices) {
    }

    private final String owner;
    private final Map<String, Key> keys = new LinkedHashMap<>();

    /** @param owner who reads these keys, for messages ("producer", "consumer", "admin") */
    public ConfigKeys(String owner) {
        this.owner = owner;
    }

    /** Adds a key; {@code defaultValue} null means none (required for HOSTS, absent for CLASS). */
    public ConfigKeys define(String name, String defaultValue, Kind kind, String allowed) {
        keys.put(name, new Key(name, defaultValue, kind, allowed, List.of()));
        return this;
    }

    /** Adds a key whose value is one of {@code choices} (compared ignoring case, returned lower case). */
    public ConfigKeys choice(String name, String defaultValue, String... choices) {
        keys.put(name, new Key(name, defaultValue, Kind.CHOICE, "one of " + String.join(", ", choices),
                List.of(choices)));
        return this;
    }

    /** The names of every key, in definition order. */
    public List<String> names() {
        return List.copyOf(keys.keySet());
    }

    /**
     * Every key's typed value (given, else its default): List of host:port strings, String, Short (acks:
     * -1, 0 or 1), Boolean, Integer, Long, CompressionType, lower-case choice text, or a Class/name/instance
     * (null when absent) for class keys.
     *
     * @throws ConfigException for an unknown key, a missing required key or an invalid value
     */
    public Map<String, Object> parse(Map<String, ?> given) {
        for (String k : given.keySet()) {
            if (!keys.containsKey(k)) {
                throw new ConfigException("Unknown configuration " + k + "; known " + owner + " keys: "
                        + String.join(", ", keys.keySet()));
            }
        }
        final Map<String, Object> values = new LinkedHashMap<>();
        for (Key key : keys.values()) {
            final boolean present = given.containsKey(key.name());
            final Object raw = present ? given.get(key.name()) : key.defaultValue();
            if (raw == null && key.kind() == Kind.HOSTS) {
                throw new ConfigException("Missing required configuration " + key.name() + ": " + key.allowed()
                        + ", e.g. 127.0.0.1:9092");
            }
            values.put(key.name(), parse(key, raw));
        }
        return Collections.unmodifiableMap(values);
    }

    private static Object parse(Key key, Object raw) {
        if (raw == null) {
            if (key.kind() == Kind.CLASS) {
                return null;
            }
            throw ConfigException.invalid(key.name(), "null", key.allowed());
        }
        final String text = raw instanceof String ? ((String) raw).trim() : String.valueOf(raw);
        switch (key.kind()) {
            case HOSTS:
                return hostList(key.name(), key.allowed(), raw);
            case STRING:
                return text;
            case ACKS:
                switch (text.toLowerCase(Locale.ROOT)) {
                    case "all":
                    case "-1":
                        return (short) -1;
                    case "0":
                        return (short) 0;
                    case "1":
                        return (short) 1;
                    default:
                        throw ConfigException.invalid(key.name(), raw, key.allowed());
                }
            case BOOLEAN:
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
                }
                throw ConfigException.invalid(key.name(), raw, key.allowed());
            case INT:
            case POSITIVE_INT: {
                final long v = parseLong(key, text, raw);
                final long min = key.kind() == Kind.INT ? 0 : 1;
                if (v < min || v > Integer.MAX_VALUE) {
                    throw ConfigException.invalid(key.name(), raw, key.allowed() + " and <= " + Integer.MAX_VALUE);
                }
                return (int) v;
            }
            case LONG:
            case POSITIVE_LONG: {
                final long v = parseLong(key, text, raw);
                if (v < (key.kind() == Kind.LONG ? 0 : 1)) {
                    throw ConfigException.invalid(key.name(), raw, key.allowed());
                }
                return v;
            }
            case COMPRESSION:
                for (CompressionType type : CompressionType.values()) {
                    if (type.configName().equalsIgnoreCase(text)) {
                        return type;
                    }
                }
                throw ConfigException.invalid(key.name(), raw, key.allowed());
            case CHOICE: {
                final String lower = text.toLowerCase(Locale.ROOT);
                if (key.choices().contains(lower)) {
                    return lower;
                }
                throw ConfigException.invalid(key.name(), raw, key.allowed());
            }
            case CLASS:
                if (!(raw instanceof String)) {
                    return raw;
                }
                return text.isEmpty() ? null : text;
            default:
                throw new IllegalStateException("unhandled kind " + key.kind());
        }
    }

    private static long parseLong(Key key, String text, Object raw) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(key.name(), raw, key.allowed());
        }
    }

    /**
     * Parses a bootstrap.servers value (comma-separated text or a List) into host:port entries with
     * ports in 1..65535; shared by every client config.
     *
     * @throws ConfigException naming {@code name}, the value and {@code allowed}
     */
    public static List<String> hostList(String name, String allowed, Object raw) {
        final List<String> parts = new ArrayList<>();
        if (raw instanceof List) {
            for (Object o : (List<?>) raw) {
                parts.add(String.valueOf(o).trim());
            }
        } else {
            for (String s : String.valueOf(raw).split(",")) {
                if (!s.isBlank()) {
                    parts.add(s.trim());
                }
            }
        }
        if (parts.isEmpty()) {
            throw ConfigException.invalid(name, "'" + raw + "'", allowed);
        }
        for (String p : parts) {
            final int colon = p.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(p.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535) {
                throw ConfigException.invalid(name, "'" + raw + "'", "'" + p + "' is not host:port with a port "
                        + "in 1..65535; " + allowed);
            }
        }
        return List.copyOf(parts);
    }

    /**
     * Makes an instance of a class key's value: an instance of {@code type} is used as is; a Class or a
     * class name is instantiated with its no-argument constructor.
     *
     * @throws ConfigException when the value is not usable as a {@code type}
     */
    public static <T> T instance(String key, Object value, Class<T> type) {
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        try {
            final Class<?> c = value instanceof Class ? (Class<?>) value
                    : Class.forName(String.valueOf(value), true, Thread.currentThread().getContextClassLoader() == null
                    ? ConfigKeys.class.getClassLoader() : Thread.currentThread().getContextClassLoader());
            if (!type.isAssignableFrom(c)) {
                throw ConfigException.invalid(key, c.getName(), "a class implementing " + type.getName());
            }
            return type.cast(c.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ConfigException("Invalid value " + value + " for configuration " + key + ": cannot create an "
                    + "instance (" + e + "); give a public class implementing " + type.getName()
                    + " with a no-argument constructor", e);
        }
    }
}

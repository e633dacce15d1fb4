package dev.skiff.broker.internal;

import dev.skiff.broker.ConfigException;
import java.util.Locale;

/**
 * One configuration key: its Kafka name, type, default, allowed range and documentation.
 *
 * <p>Parsing happens once, at start-up; a bad value raises a {@link ConfigException} whose message
 * names the key, the value and what is allowed.
 */
public record ConfigKey(String name, Type type, String defaultValue, long min, long max, String doc) {

    /** Value kinds a key may hold. */
    public enum Type { STRING, INT, LONG, BOOLEAN, LIST }

    public static ConfigKey string(String name, String def, String doc) {
        return new ConfigKey(name, Type.STRING, def, 0, 0, doc);
    }

    public static ConfigKey list(String name, String def, String doc) {
        return new ConfigKey(name, Type.LIST, def, 0, 0, doc);
    }

    public static ConfigKey bool(String name, boolean def, String doc) {
        return new ConfigKey(name, Type.BOOLEAN, Boolean.toString(def), 0, 0, doc);
    }

    public static ConfigKey intKey(String name, Integer def, long min, long max, String doc) {
        return new ConfigKey(name, Type.INT, def == null ? null : def.toString(), min, max, doc);
    }

    public static ConfigKey longKey(String name, Long def, long min, long max, String doc) {
        return new ConfigKey(name, Type.LONG, def == null ? null : def.toString(), min, max, doc);
    }

    /** Parses and validates {@code raw} (already trimmed) for this key. */
    public Object parse(String raw) {
        final String value = raw.trim();
        switch (type) {
            case STRING:
            case LIST:
                return value;
            case BOOLEAN:
                final String lower = value.toLowerCase(Locale.ROOT);
                if (lower.equals("true") || lower.equals("false")) {
                    return Boolean.valueOf(lower);
                }
                throw ConfigException.invalid(name, raw, "expected true or false");
            case INT:
            case LONG:
                final long parsed;
                try {
                    parsed = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw ConfigException.invalid(name, raw, "expected " + describeRange());
                }
                if (parsed < min || parsed > max || (type == Type.INT && (parsed < Integer.MIN_VALUE
                        || parsed > Integer.MAX_VALUE))) {
                    throw ConfigException.invalid(name, raw, "expected " + describeRange());
                }
                return type == Type.INT ? (Object) (int) parsed : (Object) parsed;
            default:
                throw new IllegalStateException("unknown type " + type);
        }
    }

    private String describeRange() {
        final String kind = type == Type.INT ? "an integer" : "a long integer";
        final long lo = min;
        final long hi = type == Type.INT ? Math.min(max, Integer.MAX_VALUE) : max;
        if (lo == Long.MIN_VALUE && (hi == Long.MAX_VALUE || hi == Integer.MAX_VALUE)) {
            return kind;
        }
        if (hi == Long.MAX_VALUE || hi == Integer.MAX_VALUE) {
            return kind + " >= " + lo;
        }
        return kind + " in [" + lo + ", " + hi + "]";
    }
}

package dev.skiff.generator.java;

import java.util.Locale;

/** Spelling rules shared by the writers: Java identifiers, constants and literals. */
public final class Names {
    private Names() {
    }

    /** {@code TopicData} to {@code topicData}: the field, getter and local name. */
    public static String lowerCamel(String name) {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    /** {@code topicData} to {@code TopicData}: used after {@code set} and {@code sizeOf}. */
    public static String upperCamel(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /**
     * {@code DescribeTopicPartitions} to {@code DESCRIBE_TOPIC_PARTITIONS}. A word starts at an upper-case
     * letter that follows a lower-case letter or digit, or that ends a run of capitals before a
     * lower-case letter ({@code SASLHandshake} would become {@code SASL_HANDSHAKE}).
     */
    public static String upperSnake(String name) {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (i > 0 && Character.isUpperCase(c)) {
                final char prev = name.charAt(i - 1);
                final boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (Character.isLowerCase(prev) || Character.isDigit(prev)
                    || (Character.isUpperCase(prev) && nextLower)) {
                    b.append('_');
                }
            }
            b.append(Character.toUpperCase(c));
        }
        return b.toString().toUpperCase(Locale.ROOT);
    }

    /** A Java string literal for {@code s}, quotes included. */
    public static String stringLiteral(String s) {
        final StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }

    /** Spec prose made safe inside a javadoc comment. */
    public static String javadoc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")
            .replace("*/", "*&#47;").replace("\\u", "\\\\u").trim();
    }
}

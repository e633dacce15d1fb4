package dev.skiff.cli.internal;

import dev.skiff.client.consumer.ConsumerRecord;
import dev.skiff.protocol.record.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints records with a kcat-like format string, compiled once into parts so printing a record does no
 * parsing.
 *
 * <pre>
 * %t topic   %p partition   %o offset   %T timestamp (ms)   %k key   %v or %s value
 * %K key length   %S value length   %h headers as k=v,k=v   %% a percent sign   \n \t \\ escapes
 * </pre>
 * A null key or value prints as nothing; the line ends with a newline unless the format already does.
 */
public final class RecordFormatter {
    private final List<Object> parts = new ArrayList<>();
    private final ValueDecoder values;

    /**
     * @param format the format string
     * @param values turns value bytes into text (text, JSON, Avro...)
     * @throws IllegalArgumentException for an unknown %-token, naming it
     */
    public RecordFormatter(String format, ValueDecoder values) {
        this.values = values;
        final String f = unescape(format);
        final StringBuilder literal = new StringBuilder();
        for (int i = 0; i < f.length(); i++) {
            final char c = f.charAt(i);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            if (i + 1 >= f.length()) {
                throw new IllegalArgumentException("format ends with a lone '%'");
            }
            final char token = f.charAt(++i);
            if (token == '%') {
                literal.append('%');
                continue;
            }
            if ("tpoTkvsKSh".indexOf(token) < 0) {
                throw new IllegalArgumentException("unknown format token %" + token
                        + " (use %t %p %o %T %k %v %s %K %S %h %%)");
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            parts.add(token);
        }
        if (!f.endsWith("\n")) {
            literal.append('\n');
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\");
    }

    /** One record as text (including the line end). */
    public String format(ConsumerRecord<byte[], byte[]> r) {
        final StringBuilder sb = new StringBuilder(64);
        for (Object part : parts) {
            if (part instanceof String) {
                sb.append((String) part);
                continue;
            }
            switch ((Character) part) {
                case 't':
                    sb.append(r.topic());
                    break;
                case 'p':
                    sb.append(r.partition());
                    break;
                case 'o':
                    sb.append(r.offset());
                    break;
                case 'T':
                    sb.append(r.timestamp());
                    break;
                case 'k':
                    if (r.key() != null) {
                        sb.append(new String(r.key(), StandardCharsets.UTF_8));
                    }
                    break;
                case 'v':
                case 's':
                    if (r.value() != null) {
                        sb.append(values.decode(r.topic(), r.value()));
                    }
                    break;
                case 'K':
                    sb.append(r.serializedKeySize());
                    break;
                case 'S':
                    sb.append(r.serializedValueSize());
                    break;
                default:
                    appendHeaders(sb, r);
                    break;
            }
        }
        return sb.toString();
    }

    private static void appendHeaders(StringBuilder sb, ConsumerRecord<byte[], byte[]> r) {
        boolean first = true;
        for (Header h : r.headers()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(h.key()).append('=');
            if (h.value() != null) {
                sb.append(new String(h.value(), StandardCharsets.UTF_8));
            }
        }
    }
}

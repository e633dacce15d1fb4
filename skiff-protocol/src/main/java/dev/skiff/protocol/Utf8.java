package dev.skiff.protocol;

import java.nio.ByteBuffer;

/**
 * UTF-8 length and encoding without building a byte array, for the string fields of every message.
 *
 * <p>Both methods treat an unpaired surrogate as {@code '?'}, exactly as
 * {@code String.getBytes(StandardCharsets.UTF_8)} does, so sizes always match what any
 * {@link Writable} produces.
 */
public final class Utf8 {
    private static final byte REPLACEMENT = '?';

    private Utf8() {
    }

    /** Number of bytes {@code s} takes in UTF-8. */
    public static int encodedLength(CharSequence s) {
        final int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            final char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                // Two chars become four bytes.
                bytes += 2;
                i++;
            } else if (Character.isSurrogate(c)) {
                continue;
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    /** Writes {@code s} as UTF-8 at the buffer's position; the caller made room for {@link #encodedLength}. */
    public static void encode(CharSequence s, ByteBuffer out) {
        final int n = s.length();
        for (int i = 0; i < n; i++) {
            final char c = s.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | (c >> 6)));
                out.put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                final int cp = Character.toCodePoint(c, s.charAt(++i));
                out.put((byte) (0xF0 | (cp >> 18)));
                out.put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                out.put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                out.put((byte) (0x80 | (cp & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                out.put(REPLACEMENT);
            } else {
                out.put((byte) (0xE0 | (c >> 12)));
                out.put((byte) (0x80 | ((c >> 6) & 0x3F)));
                out.put((byte) (0x80 | (c & 0x3F)));
            }
        }
    }
}

package dev.skiff.protocol;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * UUID helpers for the protocol's {@code uuid} type (16 bytes: most significant long first).
 *
 * <p>Kafka shows topic IDs as URL-safe base64 without padding (22 characters), not in the dashed form
 * {@link UUID#toString()} produces; {@link #toBase64} and {@link #fromBase64} convert.
 */
public final class Uuids {
    /** The all-zero UUID: Kafka's "no topic ID", and the default of every uuid field. */
    public static final UUID ZERO = new UUID(0L, 0L);

    private Uuids() {
    }

    /** Kafka's text form: URL-safe base64 of the 16 bytes, no padding. */
    public static String toBase64(UUID uuid) {
        final ByteBuffer bytes = ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /**
     * Parses Kafka's text form.
     *
     * @throws IllegalArgumentException if {@code text} is not base64 of exactly 16 bytes
     */
    public static UUID fromBase64(String text) {
        final byte[] raw = Base64.getUrlDecoder().decode(text);
        if (raw.length != 16) {
            throw new IllegalArgumentException("a UUID is 16 bytes, '" + text + "' decodes to " + raw.length);
        }
        final ByteBuffer bytes = ByteBuffer.wrap(raw);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}

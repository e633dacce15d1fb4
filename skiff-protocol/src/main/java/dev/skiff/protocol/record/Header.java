package dev.skiff.protocol.record;

import dev.skiff.protocol.Varints;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record header: a non-null string key and a nullable byte value, as Kafka defines them.
 *
 * <p>The UTF-8 form of the key is encoded once, here, because the batch writer needs its length
 * before it writes it. The value array is held as given, not copied: callers must not change it
 * afterwards.
 */
public final class Header {
    private final String key;
    private final byte[] keyUtf8;
    private final byte[] value;

    /**
     * @param key   header key, not null
     * @param value header value, or null
     */
    public Header(String key, byte[] value) {
        this.key = Objects.requireNonNull(key, "header key");
        this.keyUtf8 = key.getBytes(StandardCharsets.UTF_8);
        this.value = value;
    }

    public String key() {
        return key;
    }

    /** The value bytes (not a copy), or null. */
    public byte[] value() {
        return value;
    }

    /** The key encoded as UTF-8 (not a copy; do not modify). */
    byte[] keyUtf8() {
        return keyUtf8;
    }

    /** Bytes this header takes inside a record: key length, key, value length, value. */
    int sizeInRecord() {
        final int valueLength = value == null ? -1 : value.length;
        return Varints.sizeOfVarint(keyUtf8.length) + keyUtf8.length
                + Varints.sizeOfVarint(valueLength) + Math.max(valueLength, 0);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Header)) {
            return false;
        }
        final Header other = (Header) o;
        return key.equals(other.key) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header(" + key + ", " + (value == null ? "null" : value.length + " bytes") + ")";
    }
}

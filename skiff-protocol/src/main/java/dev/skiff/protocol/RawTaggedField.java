package dev.skiff.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tagged field whose tag the reading code did not know, kept as raw bytes so it can be written back.
 *
 * <p>This is how a newer peer's optional data survives a round trip through older code.
 */
public final class RawTaggedField {
    private final int tag;
    private final byte[] data;

    /** @param data the field's payload, without tag and size prefixes (not copied) */
    public RawTaggedField(int tag, byte[] data) {
        if (tag < 0) {
            throw new IllegalArgumentException("negative tag " + tag);
        }
        this.tag = tag;
        this.data = Objects.requireNonNull(data, "data");
    }

    public int tag() {
        return tag;
    }

    /** The payload (not copied). */
    public byte[] data() {
        return data;
    }

    /** Payload size in bytes. */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RawTaggedField)) {
            return false;
        }
        final RawTaggedField other = (RawTaggedField) o;
        return tag == other.tag && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * tag + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "RawTaggedField(tag=" + tag + ", " + data.length + " bytes)";
    }
}

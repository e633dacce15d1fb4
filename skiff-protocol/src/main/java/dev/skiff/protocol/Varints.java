package dev.skiff.protocol;

import java.nio.ByteBuffer;

/**
 * Variable-length integers as Kafka encodes them: unsigned LEB128 ("unsigned varint") for compact
 * lengths and tags, and zigzag-encoded signed varint/varlong inside records.
 *
 * <p>Readers throw {@link DecodeException} on truncated or over-long input, never a
 * {@code BufferUnderflowException}, so a malformed frame is reported as what it is.
 */
public final class Varints {
    private Varints() {
    }

    /** Reads an unsigned varint of at most 5 bytes. */
    public static int readUnsignedVarint(ByteBuffer buf) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!buf.hasRemaining()) {
                throw new DecodeException("truncated varint");
            }
            final byte b = buf.get();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new DecodeException("varint is longer than 5 bytes");
    }

    /** Reads an unsigned varlong of at most 10 bytes. */
    public static long readUnsignedVarlong(ByteBuffer buf) {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (!buf.hasRemaining()) {
                throw new DecodeException("truncated varlong");
            }
            final byte b = buf.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new DecodeException("varlong is longer than 10 bytes");
    }

    /** Reads a zigzag-encoded signed varint. */
    public static int readVarint(ByteBuffer buf) {
        final int raw = readUnsignedVarint(buf);
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** Reads a zigzag-encoded signed varlong. */
    public static long readVarlong(ByteBuffer buf) {
        final long raw = readUnsignedVarlong(buf);
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static void writeUnsignedVarint(int value, ByteBuffer buf) {
        int v = value;
        while ((v & 0xFFFFFF80) != 0) {
            buf.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
    }

    public static void writeUnsignedVarlong(long value, ByteBuffer buf) {
        long v = value;
        while ((v & 0xFFFFFFFFFFFFFF80L) != 0L) {
            buf.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
    }

    public static void writeVarint(int value, ByteBuffer buf) {
        writeUnsignedVarint((value << 1) ^ (value >> 31), buf);
    }

    public static void writeVarlong(long value, ByteBuffer buf) {
        writeUnsignedVarlong((value << 1) ^ (value >> 63), buf);
    }

    /** Bytes needed for {@code value} as an unsigned varint. */
    public static int sizeOfUnsignedVarint(int value) {
        // 1 byte per 7 significant bits, at least one byte.
        final int bits = 32 - Integer.numberOfLeadingZeros(value);
        return bits == 0 ? 1 : (bits + 6) / 7;
    }

    public static int sizeOfUnsignedVarlong(long value) {
        final int bits = 64 - Long.numberOfLeadingZeros(value);
        return bits == 0 ? 1 : (bits + 6) / 7;
    }

    public static int sizeOfVarint(int value) {
        return sizeOfUnsignedVarint((value << 1) ^ (value >> 31));
    }

    public static int sizeOfVarlong(long value) {
        return sizeOfUnsignedVarlong((value << 1) ^ (value >> 63));
    }
}

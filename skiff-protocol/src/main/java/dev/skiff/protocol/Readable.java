package dev.skiff.protocol;

import dev.skiff.protocol.record.Records;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The input side of the message codec: big-endian primitives, varints and length-checked runs of bytes.
 *
 * <p>Every method throws {@link DecodeException} when the input holds fewer bytes than it needs or a
 * length is negative; none lets a {@code BufferUnderflowException} escape. Lengths are checked against
 * {@link #remaining()} before anything is allocated, so a forged length cannot make the reader allocate
 * more than the frame it was given.
 */
public interface Readable {
    byte readByte();

    short readShort();

    int readInt();

    long readLong();

    /** An IEEE 754 double from its eight big-endian bytes. */
    default double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    /** Two bytes as an unsigned value, 0..65535. */
    default int readUnsignedShort() {
        return readShort() & 0xFFFF;
    }

    /** Four bytes as an unsigned value, 0..2^32-1. */
    default long readUnsignedInt() {
        return readInt() & 0xFFFFFFFFL;
    }

    /** Sixteen bytes: most significant long, then least significant. */
    default UUID readUuid() {
        final long most = readLong();
        return new UUID(most, readLong());
    }

    /** An unsigned LEB128 value of at most five bytes. */
    int readUnsignedVarint();

    /** A zigzag-encoded signed varint. */
    int readVarint();

    /** A zigzag-encoded signed varlong. */
    long readVarlong();

    /** The next {@code length} bytes, copied into a new array. */
    byte[] readArray(int length);

    /** The next {@code length} bytes as a buffer sharing the input's memory (no copy). */
    ByteBuffer readByteBuffer(int length);

    /** The next {@code length} bytes decoded as UTF-8. */
    String readString(int length);

    /** The next {@code length} bytes as record batches sharing the input's memory (no copy, no parsing). */
    Records readRecords(int length);

    /** Bytes left in the input. */
    int remaining();
}

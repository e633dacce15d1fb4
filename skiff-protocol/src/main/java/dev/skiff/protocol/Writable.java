package dev.skiff.protocol;

import dev.skiff.protocol.record.Records;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The output side of the message codec.
 *
 * <p>An interface rather than a class so the broker can supply its own: one that writes into a Netty
 * buffer and passes file-backed {@link Records} to the socket as file regions instead of copying them.
 * Only the abstract methods must be implemented; the defaults are expressed in terms of them.
 */
public interface Writable {
    void writeByte(byte v);

    void writeShort(short v);

    void writeInt(int v);

    void writeLong(long v);

    /** All bytes of {@code bytes}. */
    void writeByteArray(byte[] bytes);

    /** The remaining bytes of {@code bytes}, leaving its position unchanged. */
    void writeByteBuffer(ByteBuffer bytes);

    /**
     * The record batches' bytes, exactly {@link Records#sizeInBytes()} of them.
     *
     * @throws IllegalArgumentException if this writer cannot carry that kind of records
     */
    void writeRecords(Records records);

    default void writeDouble(double v) {
        writeLong(Double.doubleToRawLongBits(v));
    }

    /** Low 16 bits of {@code v}; callers keep it in 0..65535. */
    default void writeUnsignedShort(int v) {
        writeShort((short) v);
    }

    /** Low 32 bits of {@code v}; callers keep it in 0..2^32-1. */
    default void writeUnsignedInt(long v) {
        writeInt((int) v);
    }

    default void writeUuid(UUID uuid) {
        writeLong(uuid.getMostSignificantBits());
        writeLong(uuid.getLeastSignificantBits());
    }

    /** Unsigned LEB128: seven bits per byte, low bits first, high bit set on all but the last byte. */
    default void writeUnsignedVarint(int v) {
        int rest = v;
        while ((rest & 0xFFFFFF80) != 0) {
            writeByte((byte) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        writeByte((byte) rest);
    }

    /** Zigzag then LEB128, so small negative numbers stay short. */
    default void writeVarint(int v) {
        writeUnsignedVarint((v << 1) ^ (v >> 31));
    }

    default void writeVarlong(long v) {
        long rest = (v << 1) ^ (v >> 63);
        while ((rest & 0xFFFFFFFFFFFFFF80L) != 0L) {
            writeByte((byte) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        writeByte((byte) rest);
    }

    /**
     * {@code s} as UTF-8, exactly {@link Utf8#encodedLength} bytes (unpaired surrogates become '?').
     * The default allocates; writers on hot paths override it.
     */
    default void writeUtf8(String s) {
        writeByteArray(s.getBytes(StandardCharsets.UTF_8));
    }
}

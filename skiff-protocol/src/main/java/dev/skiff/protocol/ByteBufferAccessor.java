package dev.skiff.protocol;

import dev.skiff.protocol.record.MemoryRecords;
import dev.skiff.protocol.record.Records;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads and writes messages at the position of a heap or direct {@link ByteBuffer} (big-endian).
 *
 * <p>Reads hand out slices, not copies, for {@code bytes} fields marked zero-copy and for records, so
 * a decoded Produce request's records are a view of the received frame. Writes of records support only
 * {@link MemoryRecords}; file-backed records need a writer that can send file regions.
 */
public final class ByteBufferAccessor implements Readable, Writable {
    private final ByteBuffer buf;

    /** Uses {@code buf} from its current position; reading and writing advance that position. */
    public ByteBufferAccessor(ByteBuffer buf) {
        this.buf = buf;
    }

    /** The underlying buffer. */
    public ByteBuffer buffer() {
        return buf;
    }

    private void require(int length) {
        if (length < 0) {
            throw new DecodeException("negative length " + length);
        }
        if (buf.remaining() < length) {
            throw new DecodeException("truncated input: need " + length + " bytes, " + buf.remaining() + " left");
        }
    }

    @Override
    public byte readByte() {
        require(1);
        return buf.get();
    }

    @Override
    public short readShort() {
        require(2);
        return buf.getShort();
    }

    @Override
    public int readInt() {
        require(4);
        return buf.getInt();
    }

    @Override
    public long readLong() {
        require(8);
        return buf.getLong();
    }

    @Override
    public double readDouble() {
        require(8);
        return buf.getDouble();
    }

    @Override
    public UUID readUuid() {
        require(16);
        final long most = buf.getLong();
        return new UUID(most, buf.getLong());
    }

    @Override
    public int readUnsignedVarint() {
        return Varints.readUnsignedVarint(buf);
    }

    @Override
    public int readVarint() {
        return Varints.readVarint(buf);
    }

    @Override
    public long readVarlong() {
        return Varints.readVarlong(buf);
    }

    @Override
    public byte[] readArray(int length) {
        require(length);
        final byte[] bytes = new byte[length];
        buf.get(bytes);
        return bytes;
    }

    @Override
    public ByteBuffer readByteBuffer(int length) {
        require(length);
        final ByteBuffer slice = buf.slice(buf.position(), length);
        buf.position(buf.position() + length);
        return slice;
    }

    @Override
    public String readString(int length) {
        require(length);
        final String s;
        if (buf.hasArray()) {
            s = new String(buf.array(), buf.arrayOffset() + buf.position(), length, StandardCharsets.UTF_8);
            buf.position(buf.position() + length);
        } else {
            final byte[] bytes = new byte[length];
            buf.get(bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        return s;
    }

    @Override
    public Records readRecords(int length) {
        return MemoryRecords.readableRecords(readByteBuffer(length));
    }

    @Override
    public int remaining() {
        return buf.remaining();
    }

    @Override
    public void writeByte(byte v) {
        buf.put(v);
    }

    @Override
    public void writeShort(short v) {
        buf.putShort(v);
    }

    @Override
    public void writeInt(int v) {
        buf.putInt(v);
    }

    @Override
    public void writeLong(long v) {
        buf.putLong(v);
    }

    @Override
    public void writeDouble(double v) {
        buf.putDouble(v);
    }

    @Override
    public void writeByteArray(byte[] bytes) {
        buf.put(bytes);
    }

    @Override
    public void writeByteBuffer(ByteBuffer bytes) {
        buf.put(bytes.duplicate());
    }

    @Override
    public void writeUnsignedVarint(int v) {
        Varints.writeUnsignedVarint(v, buf);
    }

    @Override
    public void writeVarint(int v) {
        Varints.writeVarint(v, buf);
    }

    @Override
    public void writeVarlong(long v) {
        Varints.writeVarlong(v, buf);
    }

    @Override
    public void writeUtf8(String s) {
        Utf8.encode(s, buf);
    }

    /**
     * Copies in-memory records into the buffer.
     *
     * @throws IllegalArgumentException for records that are not {@link MemoryRecords}
     */
    @Override
    public void writeRecords(Records records) {
        if (!(records instanceof MemoryRecords)) {
            throw new IllegalArgumentException("ByteBufferAccessor can only write MemoryRecords, not "
                + records.getClass().getName() + "; use a Writable that supports file regions");
        }
        buf.put(((MemoryRecords) records).buffer());
    }
}

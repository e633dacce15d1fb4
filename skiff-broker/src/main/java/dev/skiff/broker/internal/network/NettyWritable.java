package dev.skiff.broker.internal.network;

import dev.skiff.protocol.Writable;
import dev.skiff.protocol.record.MemoryRecords;
import dev.skiff.protocol.record.Records;
import dev.skiff.storage.FileRecords;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.DefaultFileRegion;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A {@link Writable} that fills Netty buffers and turns file-backed records into file regions.
 *
 * <p>Everything up to a {@link FileRecords} field goes into the current buffer; the file records
 * become a {@link SegmentRegion} (sent with {@code sendfile} by the epoll and NIO transports), and
 * writing continues in a new buffer. The resulting parts, in order, form the frame.
 */
final class NettyWritable implements Writable {
    private final ByteBufAllocator alloc;
    private final List<Object> parts;
    private ByteBuf current;

    NettyWritable(ByteBufAllocator alloc, ByteBuf first, List<Object> parts) {
        this.alloc = alloc;
        this.current = first;
        this.parts = parts;
    }

    @Override
    public void writeByte(byte v) {
        current.writeByte(v);
    }

    @Override
    public void writeShort(short v) {
        current.writeShort(v);
    }

    @Override
    public void writeInt(int v) {
        current.writeInt(v);
    }

    @Override
    public void writeLong(long v) {
        current.writeLong(v);
    }

    @Override
    public void writeByteArray(byte[] bytes) {
        current.writeBytes(bytes);
    }

    @Override
    public void writeByteBuffer(ByteBuffer bytes) {
        current.writeBytes(bytes.duplicate());
    }

    @Override
    public void writeUtf8(String s) {
        ByteBufUtil.writeUtf8(current, s);
    }

    @Override
    public void writeRecords(Records records) {
        if (records instanceof MemoryRecords) {
            current.writeBytes(((MemoryRecords) records).buffer());
        } else if (records instanceof FileRecords) {
            final FileRecords file = (FileRecords) records;
            if (file.sizeInBytes() == 0) {
                return;
            }
            parts.add(current);
            parts.add(new SegmentRegion(file));
            current = alloc.ioBuffer(256);
        } else {
            throw new IllegalArgumentException("cannot send records of type " + records.getClass().getName());
        }
    }

    /** Adds the last buffer; call once after the message is written. */
    void finish() {
        parts.add(current);
        current = null;
    }

    /** Releases every part after a failed encoding. */
    void releaseAll() {
        for (Object part : parts) {
            ReferenceCountUtil.release(part);
        }
        parts.clear();
        if (current != null) {
            current.release();
            current = null;
        }
    }

    /**
     * A region of a segment file. It extends {@link DefaultFileRegion} so the epoll transport uses
     * native sendfile, but never closes the channel: the segment owns it and outlives the response.
     */
    static final class SegmentRegion extends DefaultFileRegion {
        SegmentRegion(FileRecords records) {
            super(records.channel(), records.position(), records.sizeInBytes());
        }

        @Override
        protected void deallocate() {
            // The FileChannel belongs to the log segment; closing it here would break the log.
        }
    }
}

package dev.skiff.broker.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream of a connection into request frames.
 *
 * <pre>
 * +----------------+---------------------------------+
 * | size (int32)   | request header + body (size B)  |
 * +----------------+---------------------------------+
 * </pre>
 *
 * A negative size, or one over {@code socket.request.max.bytes}, closes the connection before any of
 * the frame is buffered, as Kafka does: nothing sensible can follow a frame we refuse to read.
 * Each emitted frame is a retained slice of the cumulation; the consumer releases it.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);

    private final int maxFrameBytes;

    public FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            final int size = in.getInt(in.readerIndex());
            if (size < 0 || size > maxFrameBytes) {
                LOG.warn("Closing connection from {}: request frame of {} bytes is over socket.request.max.bytes ({})",
                        ctx.channel().remoteAddress(), size, maxFrameBytes);
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            if (in.readableBytes() < 4 + size) {
                return;
            }
            in.skipBytes(4);
            out.add(in.readRetainedSlice(size));
        }
    }
}

package dev.skiff.broker.internal.network;

import dev.skiff.protocol.ApiMessage;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.ResponseHeaderData;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one response frame to a channel: size prefix, response header, body.
 *
 * <pre>
 * +--------------+----------------------------+-------------------------------------------+
 * | size (int32) | header: correlationId,     | body (records fields may be file regions, |
 * |              | tagged fields when v1      | sent with zero copy)                      |
 * +--------------+----------------------------+-------------------------------------------+
 * </pre>
 *
 * The body's exact size is known before writing ({@code ApiMessage.size}), so the prefix is written
 * first and the frame streams out as a sequence of buffers and file regions.
 */
final class ResponseEncoder {
    private ResponseEncoder() {
    }

    static void write(ChannelHandlerContext ctx, int correlationId, ApiKeys apiKey, short version, ApiMessage body) {
        final short headerVersion = apiKey.responseHeaderVersion(version);
        final ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        final int headerSize = header.size(headerVersion);
        final int bodySize = body.size(version);
        final List<Object> parts = new ArrayList<>(2);
        final ByteBuf first = ctx.alloc().ioBuffer(Math.min(4 + headerSize + bodySize, 64 * 1024));
        final NettyWritable out = new NettyWritable(ctx.alloc(), first, parts);
        try {
            out.writeInt(headerSize + bodySize);
            header.write(out, headerVersion);
            body.write(out, version);
            out.finish();
        } catch (RuntimeException e) {
            out.releaseAll();
            throw e;
        }
        for (Object part : parts) {
            ctx.write(part);
        }
    }
}

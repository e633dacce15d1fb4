package dev.skiff.broker.internal.network;

import dev.skiff.broker.internal.ApiHandler;
import dev.skiff.broker.internal.ApiRegistry;
import dev.skiff.protocol.ApiMessage;
import dev.skiff.protocol.ByteBufferAccessor;
import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.RequestHeaderData;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the requests of one connection, dispatches each to its {@link ApiHandler} and writes the
 * responses in request order.
 *
 * <p>Requests are processed as they arrive (clients pipeline up to
 * {@code max.in.flight.requests.per.connection}); a request answered late, such as a Produce waiting
 * for fsync or a Fetch waiting for data, holds back the responses behind it, because Kafka clients
 * match responses to requests by order. Reading pauses while too many answers are pending or the
 * socket is not writable, so one slow client cannot make the broker buffer without bound.
 *
 * <p>As Kafka does, the connection is closed for an unknown API key, an unsupported version of
 * anything but ApiVersions, and a request that does not decode; other connections are unaffected.
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
    private static final int MAX_PENDING = 64;

    private final ApiRegistry registry;
    private final ArrayDeque<RequestContext> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private volatile boolean open = true;

    public ConnectionHandler(ApiRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    EventExecutor executor() {
        return ctx.executor();
    }

    SocketAddress remoteAddress() {
        return ctx.channel().remoteAddress();
    }

    boolean isOpen() {
        return open && ctx.channel().isActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        final ByteBuf frame = (ByteBuf) msg;
        try {
            dispatch(frame.nioBuffer());
        } finally {
            frame.release();
        }
    }

    private void dispatch(ByteBuffer frame) {
        if (frame.remaining() < 8) {
            closeForBadRequest("request of " + frame.remaining() + " bytes is too short for a request header");
            return;
        }
        final short apiKeyId = frame.getShort(frame.position());
        final short version = frame.getShort(frame.position() + 2);
        final ApiKeys apiKey = ApiKeys.forId(apiKeyId);
        final ApiHandler handler = apiKey == null ? null : registry.handler(apiKey);
        if (handler == null) {
            closeForBadRequest("unknown or unsupported API key " + apiKeyId);
            return;
        }
        if (version < handler.oldestServedVersion() || version > handler.latestVersion()) {
            if (apiKey == ApiKeys.API_VERSIONS) {
                // The client is newer than us: answer in v0 so it can learn what we support.
                final int correlationId = frame.getInt(frame.position() + 4);
                final RequestHeaderData header = new RequestHeaderData()
                        .setRequestApiKey(apiKeyId).setRequestApiVersion(version).setCorrelationId(correlationId);
                final RequestContext request = new RequestContext(this, apiKey, version, header, null);
                request.responseVersion((short) 0);
                enqueue(request);
                handler.handle(request);
                return;
            }
            closeForBadRequest(apiKey + " version " + version + " is not supported (this broker serves "
                    + handler.oldestServedVersion() + " to " + handler.latestVersion() + ")");
            return;
        }
        final RequestHeaderData header = new RequestHeaderData();
        final ApiMessage body = apiKey.newRequest();
        try {
            final ByteBufferAccessor in = new ByteBufferAccessor(frame);
            header.read(in, apiKey.requestHeaderVersion(version));
            body.read(in, version);
        } catch (DecodeException | UnsupportedOperationException e) {
            closeForBadRequest("malformed " + apiKey + " v" + version + " request: " + e.getMessage());
            return;
        }
        final RequestContext request = new RequestContext(this, apiKey, version, header, body);
        enqueue(request);
        try {
            handler.handle(request);
        } catch (RuntimeException e) {
            LOG.error("Error handling {} v{} from {}; closing the connection", apiKey, version, remoteAddress(), e);
            if (!request.isDone()) {
                request.closeConnection();
            }
        }
    }

    private void enqueue(RequestContext request) {
        pending.add(request);
        if (pending.size() >= MAX_PENDING) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void closeForBadRequest(String why) {
        LOG.warn("Closing connection from {}: {}", remoteAddress(), why);
        open = false;
        pending.clear();
        ctx.close();
    }

    /** Called on the event loop when a request completes: writes every response now due, in order. */
    void onCompleted() {
        if (!open) {
            return;
        }
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peek().isDone()) {
            final RequestContext request = pending.poll();
            if (request.sendsResponse()) {
                try {
                    ResponseEncoder.write(ctx, request.header().correlationId(), request.apiKey(),
                            request.responseVersion(), request.response());
                } catch (RuntimeException e) {
                    // A response we cannot encode is a Skiff bug; the client must not wait for it forever.
                    LOG.error("Cannot encode {} v{} response for {}; closing the connection", request.apiKey(),
                            request.responseVersion(), remoteAddress(), e);
                    open = false;
                    pending.clear();
                    ctx.close();
                    return;
                }
                wrote = true;
            }
            if (request.closesAfter()) {
                open = false;
                pending.clear();
                if (wrote) {
                    ctx.flush();
                }
                ctx.close();
                return;
            }
        }
        if (wrote) {
            ctx.flush();
        }
        if (pending.size() < MAX_PENDING / 2 && ctx.channel().isWritable() && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        final boolean writable = context.channel().isWritable();
        if (!writable) {
            context.channel().config().setAutoRead(false);
        } else if (pending.size() < MAX_PENDING / 2) {
            context.channel().config().setAutoRead(true);
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        open = false;
        pending.clear();
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("Connection {} failed: {}", context.channel().remoteAddress(), cause.getMessage());
        } else {
            LOG.warn("Closing connection {} after an unexpected error", context.channel().remoteAddress(), cause);
        }
        open = false;
        pending.clear();
        context.close();
    }
}

package dev.skiff.broker.internal.network;

import dev.skiff.broker.BrokerStartException;
import dev.skiff.broker.internal.ApiRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty listener: native epoll when the platform has it, NIO otherwise. One acceptor thread,
 * {@code num.network.threads} event loops; each connection gets a {@link FrameDecoder} and its own
 * {@link ConnectionHandler}.
 */
public final class NetworkServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkServer.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;

    private NetworkServer(EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
    }

    /** Binds {@code host:port} and returns once the port accepts connections. */
    public static NetworkServer bind(String host, int port, int threads, int maxFrameBytes, ApiRegistry registry) {
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerChannel> channelClass =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("skiff-accept", true), io);
        final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads,
                new DefaultThreadFactory("skiff-network", true), io);
        try {
            final ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(channelClass)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast("frames", new FrameDecoder(maxFrameBytes))
                                    .addLast("requests", new ConnectionHandler(registry));
                        }
                    });
            final Channel channel = bootstrap.bind(host.isEmpty() ? "0.0.0.0" : host, port).syncUninterruptibly().channel();
            LOG.debug("Listening on {} with {} transport", channel.localAddress(), epoll ? "epoll" : "nio");
            return new NetworkServer(boss, workers, channel);
        } catch (Exception e) {
            // Netty rethrows the bind failure (a checked IOException) without declaring it: catch everything.
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new BrokerStartException("Cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (is another broker using the port? set listeners=PLAINTEXT://host:port)", e);
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}

package dev.skiff.client.internal;

import dev.skiff.protocol.ApiMessage;
import dev.skiff.protocol.ByteBufferAccessor;
import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.ApiVersionsRequestData;
import dev.skiff.protocol.message.ApiVersionsResponseData;
import dev.skiff.protocol.message.RequestHeaderData;
import dev.skiff.protocol.message.ResponseHeaderData;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-blocking connections to brokers over one NIO selector, driven by a single thread (the producer's
 * sender) through {@link #poll}. Only {@link #wakeup()} may be called from other threads.
 *
 * <p>Design note: one thread owns every socket, queue and in-flight list, so nothing here locks; the
 * sender decides what to send between polls. Each new connection first negotiates versions with
 * ApiVersions and becomes {@linkplain #isReady ready} only then, so callers always know which
 * version of each API the broker speaks ({@link #versions}). A connection that breaks or whose oldest
 * request outlives request.timeout.ms is closed and every request on it fails through its handler;
 * reconnects back off exponentially with jitter.
 */
public final class NetworkClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkClient.class);
    /** Largest response accepted: a bound against garbage sizes, well above any producer answer. */
    private static final int MAX_RESPONSE_SIZE = 100 * 1024 * 1024;
    private static final short API_VERSIONS_VERSION = 3;

    private final Selector selector;
    private final String clientId;
    private final long requestTimeoutNanos;
    private final long connectTimeoutNanos;
    private final long reconnectBackoffMs;
    private final long reconnectBackoffMaxMs;
    private final Map<Integer, Connection> connections = new HashMap<>();
    private final Map<Integer, Backoff> backoffs = new HashMap<>();
    private int correlationId;
    private int nextNodeIndex;

    /** Failed-connection bookkeeping for one node. */
    private static final class Backoff {
        int failures;
        long nextAttemptNanos;
        String lastError;
    }

    public NetworkClient(String clientId, int requestTimeoutMs, long reconnectBackoffMs, long reconnectBackoffMaxMs) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a selector: " + e.getMessage(), e);
        }
        this.clientId = clientId;
        this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
        this.connectTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1000, Math.min(requestTimeoutMs, 10_000)));
        this.reconnectBackoffMs = reconnectBackoffMs;
        this.reconnectBackoffMaxMs = Math.max(reconnectBackoffMs, reconnectBackoffMaxMs);
    }

    /** Whether {@code node} has a connection that finished version negotiation. */
    public boolean isReady(Node node) {
        final Connection c = connections.get(node.id());
        return c != null && c.state == Connection.State.READY;
    }

    /** Whether a connection to {@code node} exists or is being set up. */
    public boolean isConnectingOrConnected(Node node) {
        return connections.containsKey(node.id());
    }

    /** Requests queued or awaiting answers on {@code node}'s connection. */
    public int inFlight(Node node) {
        final Connection c = connections.get(node.id());
        return c == null ? 0 : c.inFlightCount;
    }

    /** Requests in flight on every connection. */
    public int totalInFlight() {
        int n = 0;
        for (Connection c : connections.values()) {
            n += c.inFlightCount;
        }
        return n;
    }

    /** The negotiated versions of a ready node, else null. */
    public ApiVersions versions(Node node) {
        final Connection c = connections.get(node.id());
        return c == null ? null : c.versions;
    }

    /** Whether the reconnect backoff of {@code node} has passed (or it never failed). */
    public boolean canConnect(Node node, long nowNanos) {
        final Backoff b = backoffs.get(node.id());
        return b == null || nowNanos >= b.nextAttemptNanos;
    }

    /** The last connection error for {@code node}, or null. */
    public String lastConnectError(Node node) {
        final Backoff b = backoffs.get(node.id());
        return b == null ? null : b.lastError;
    }

    /** Consecutive failed connection attempts to {@code node}. */
    public int connectFailures(Node node) {
        final Backoff b = backoffs.get(node.id());
        return b == null ? 0 : b.failures;
    }

    /**
     * A ready connection among {@code nodes}, the least loaded; when none is ready and none is being
     * opened, starts connecting to the next connectable one in turn, falling back to {@code bootstrap}
     * when no known node can be connected to. Null when nothing is ready yet.
     */
    public Node readyNode(List<Node> nodes, List<Node> bootstrap, long nowNanos) {
        Node best = null;
        boolean connecting = false;
        for (Node n : nodes) {
            if (isReady(n)) {
                if (best == null || inFlight(n) < inFlight(best)) {
                    best = n;
                }
            } else if (isConnectingOrConnected(n)) {
                connecting = true;
            }
        }
        if (best != null || connecting) {
            return best;
        }
        List<Node> candidates = nodes;
        boolean anyConnectable = false;
        for (Node n : candidates) {
            anyConnectable |= canConnect(n, nowNanos);
        }
        if (!anyConnectable && !nodes.equals(bootstrap)) {
            candidates = bootstrap;
        }
        for (int i = 0; i < candidates.size(); i++) {
            final Node n = candidates.get((nextNodeIndex + i) % candidates.size());
            if (canConnect(n, nowNanos)) {
                nextNodeIndex = (nextNodeIndex + i + 1) % candidates.size();
                connect(n, nowNanos);
                return isReady(n) ? n : null;
            }
        }
        return null;
    }

    /** Starts connecting to {@code node} unless a connection exists or its backoff has not passed. */
    public void connect(Node node, long nowNanos) {
        if (connections.containsKey(node.id()) || !canConnect(node, nowNanos)) {
            return;
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            final boolean connected = channel.connect(new InetSocketAddress(node.host(), node.port()));
            final SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
            final Connection c = new Connection(node, channel, key, nowNanos);
            key.attach(c);
            connections.put(node.id(), c);
            if (connected) {
                onConnected(c, nowNanos);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            connectFailed(node, describe(e), nowNanos);
        }
    }

    /**
     * Queues a request to a ready node.
     *
     * @param expectResponse false only for Produce with acks=0
     * @throws IllegalStateException if the node is not ready
     */
    public void send(Node node, ApiMessage request, short version, boolean expectResponse, ResponseHandler handler) {
        final Connection c = connections.get(node.id());
        if (c == null || c.state != Connection.State.READY) {
            throw new IllegalStateException(node + " is not ready");
        }
        enqueue(c, request, version, expectResponse, handler, System.nanoTime());
    }

    private void enqueue(Connection c, ApiMessage request, short version, boolean expectResponse,
                         ResponseHandler handler, long nowNanos) {
        final ApiKeys api = ApiKeys.forId(request.apiKey());
        final int id = nextCorrelationId();
        final RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(api.id())
                .setRequestApiVersion(version)
                .setCorrelationId(id)
                .setClientId(clientId);
        final short headerVersion = api.requestHeaderVersion(version);
        final int size = header.size(headerVersion) + request.size(version);
        final ByteBuffer frame = ByteBuffer.allocate(4 + size);
        frame.putInt(size);
        final ByteBufferAccessor out = new ByteBufferAccessor(frame);
        header.write(out, headerVersion);
        request.write(out, version);
        frame.flip();
        final Connection.InFlight inFlight = new Connection.InFlight(id, api, version, expectResponse, handler,
                nowNanos);
        c.sends.add(new Connection.Send(frame, inFlight));
        c.inFlightCount++;
        if (expectResponse) {
            c.awaiting.add(inFlight);
        }
        c.updateInterest();
    }

    private int nextCorrelationId() {
        correlationId = correlationId == Integer.MAX_VALUE ? 0 : correlationId + 1;
        return correlationId;
    }

    /**
     * Does network I/O for at most {@code timeoutMs} (0 = don't wait), then runs handlers of completed
     * requests and fails requests that timed out.
     */
    public void poll(long timeoutMs) {
        try {
            if (timeoutMs <= 0) {
                selector.selectNow();
            } else {
                selector.select(timeoutMs);
            }
        } catch (IOException e) {
            LOG.warn("select failed", e);
        }
        final long now = System.nanoTime();
        final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            final SelectionKey key = keys.next();
            keys.remove();
            final Connection c = (Connection) key.attachment();
            if (c == null || connections.get(c.node.id()) != c) {
                continue;
            }
            try {
                if (key.isValid() && key.isConnectable()) {
                    if (c.channel.finishConnect()) {
                        onConnected(c, now);
                    }
                }
                if (key.isValid() && key.isReadable()) {
                    readResponses(c, now);
                }
                if (key.isValid() && key.isWritable() && connections.get(c.node.id()) == c) {
                    completeWritten(c, c.write(), now);
                }
            } catch (IOException | RuntimeException e) {
                fail(c, describe(e), e, false, now);
            }
        }
        checkTimeouts(now);
    }

    /** Interrupts a blocked {@link #poll}; safe from any thread. */
    public void wakeup() {
        selector.wakeup();
    }

    private void onConnected(Connection c, long now) throws IOException {
        c.state = Connection.State.NEGOTIATING;
        backoffs.remove(c.node.id());
        final ApiVersionsRequestData request = new ApiVersionsRequestData()
                .setClientSoftwareName("skiff-java")
                .setClientSoftwareVersion("0.1.0");
        enqueue(c, request, API_VERSIONS_VERSION, true, new ResponseHandler() {
            @Override
            public void onResponse(ApiMessage response, long latencyNanos) {
                final ApiVersionsResponseData r = (ApiVersionsResponseData) response;
                if (r.errorCode() != Errors.NONE.code()) {
                    fail(c, "ApiVersions failed with " + Errors.forCode(r.errorCode()) + " at " + c.node,
                            null, false, System.nanoTime());
                    return;
                }
                c.versions = ApiVersions.from(r);
                c.state = Connection.State.READY;
                LOG.debug("Connected to {}", c.node);
            }

            @Override
            public void onFailure(Exception cause, boolean timedOut) {
                // the connection is already closed by whoever failed it
            }
        }, now);
        completeWritten(c, c.write(), now);
    }

    private void readResponses(Connection c, long now) throws IOException {
        while (true) {
            final ByteBuffer frame = c.read(MAX_RESPONSE_SIZE);
            if (frame == null) {
                return;
            }
            final Connection.InFlight request = c.awaiting.pollFirst();
            if (request == null) {
                throw new IOException("unexpected response from " + c.node + " with no request in flight");
            }
            c.inFlightCount--;
            final ApiMessage body;
            try {
                final ByteBufferAccessor in = new ByteBufferAccessor(frame);
                final ResponseHeaderData header = new ResponseHeaderData();
                header.read(in, request.api.responseHeaderVersion(request.version));
                if (header.correlationId() != request.correlationId) {
                    throw new IOException("response from " + c.node + " has correlation id " + header.correlationId()
                            + ", expected " + request.correlationId + " (" + request.api.messageName() + ")");
                }
                body = request.api.newResponse();
                body.read(in, request.version);
            } catch (DecodeException e) {
                c.awaiting.addFirst(request);
                c.inFlightCount++;
                throw new IOException("malformed " + request.api.messageName() + " v" + request.version
                        + " response from " + c.node + ": " + e.getMessage(), e);
            }
            request.handler.onResponse(body, now - request.enqueuedNanos);
            if (connections.get(c.node.id()) != c) {
                return;
            }
        }
    }

    private void completeWritten(Connection c, ArrayDeque<Connection.InFlight> written, long now) {
        if (written == null) {
            return;
        }
        for (Connection.InFlight r : written) {
            c.inFlightCount--;
            r.handler.onResponse(null, now - r.enqueuedNanos);
        }
    }

    private void checkTimeouts(long now) {
        List<Connection> expired = null;
        for (Connection c : connections.values()) {
            final boolean connectExpired = c.state == Connection.State.CONNECTING
                    && now - c.connectStartNanos > connectTimeoutNanos;
            final Connection.InFlight oldest = c.awaiting.peekFirst();
            final boolean requestExpired = oldest != null && now - oldest.enqueuedNanos > requestTimeoutNanos;
            if (connectExpired || requestExpired) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(c);
            }
        }
        if (expired != null) {
            for (Connection c : expired) {
                if (c.state == Connection.State.CONNECTING) {
                    fail(c, "connection to " + c.node + " timed out", null, true, now);
                } else {
                    fail(c, c.awaiting.peekFirst().api.messageName() + " request to " + c.node
                            + " got no answer within request.timeout.ms="
                            + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos), null, true, now);
                }
            }
        }
    }

    /** Closes {@code c} and fails everything on it. */
    private void fail(Connection c, String why, Exception cause, boolean timedOut, long now) {
        if (connections.get(c.node.id()) != c) {
            return;
        }
        connections.remove(c.node.id());
        c.key.cancel();
        closeQuietly(c.channel);
        if (c.state != Connection.State.READY) {
            connectFailed(c.node, why, now);
        } else {
            LOG.info("Disconnected from {}: {}", c.node, why);
        }
        final IOException failure = new IOException(why, cause);
        // Every request goes once: those awaiting answers, then those not yet fully written without one.
        final List<Connection.InFlight> failed = new ArrayList<>(c.awaiting);
        for (Connection.Send s : c.sends) {
            if (!s.request().expectResponse) {
                failed.add(s.request());
            }
        }
        c.awaiting.clear();
        c.sends.clear();
        c.inFlightCount = 0;
        for (Connection.InFlight r : failed) {
            try {
                r.handler.onFailure(failure, timedOut);
            } catch (RuntimeException e) {
                LOG.error("Response handler failed", e);
            }
        }
    }

    private void connectFailed(Node node, String why, long now) {
        final Backoff b = backoffs.computeIfAbsent(node.id(), id -> new Backoff());
        b.failures++;
        b.lastError = why;
        final long base = Math.min(reconnectBackoffMaxMs,
                reconnectBackoffMs * (1L << Math.min(20, b.failures - 1)));
        final double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        b.nextAttemptNanos = now + TimeUnit.MILLISECONDS.toNanos((long) (base * jitter));
        LOG.debug("Cannot connect to {}: {}", node, why);
    }

    /** Closes the connection to {@code node}, failing its requests. */
    public void disconnect(Node node, String why) {
        final Connection c = connections.get(node.id());
        if (c != null) {
            fail(c, why, null, false, System.nanoTime());
        }
    }

    private static String describe(Exception e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        final String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do with a socket that will not close
            }
        }
    }

    /** Closes every connection (failing their requests) and the selector. */
    @Override
    public void close() {
        for (Connection c : new ArrayList<>(connections.values())) {
            fail(c, "client closed", null, false, System.nanoTime());
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing selector", e);
        }
    }
}

package dev.skiff.client.internal;

import dev.skiff.protocol.message.ApiKeys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One socket to one broker and what is queued and in flight on it. Owned by the network thread.
 *
 * <p>Frames on the wire, both ways:
 * <pre>
 * +----------------+-----------------------------------------+
 * | size (int32)   | header + body (size bytes)              |
 * +----------------+-----------------------------------------+
 * </pre>
 * Kafka answers requests on one connection in the order they were sent, so the oldest in-flight
 * request is the one the next response answers; a correlation id mismatch means the stream is broken.
 */
final class Connection {
    enum State { CONNECTING, NEGOTIATING, READY }

    /** A request written or waiting to be written, with its handler. */
    static final class InFlight {
        final int correlationId;
        final ApiKeys api;
        final short version;
        final boolean expectResponse;
        final ResponseHandler handler;
        final long enqueuedNanos;

        InFlight(int correlationId, ApiKeys api, short version, boolean expectResponse, ResponseHandler handler,
                 long enqueuedNanos) {
            this.correlationId = correlationId;
            this.api = api;
            this.version = version;
            this.expectResponse = expectResponse;
            this.handler = handler;
            this.enqueuedNanos = enqueuedNanos;
        }
    }

    /** A frame to write and the request it carries. */
    record Send(ByteBuffer frame, InFlight request) {
    }

    final Node node;
    final SocketChannel channel;
    final SelectionKey key;
    State state = State.CONNECTING;
    ApiVersions versions;
    final long connectStartNanos;
    final ArrayDeque<Send> sends = new ArrayDeque<>();
    final ArrayDeque<InFlight> awaiting = new ArrayDeque<>();
    /** Requests counted against max.in.flight: queued or awaiting an answer. */
    int inFlightCount;
    private final ByteBuffer sizeBuffer = ByteBuffer.allocate(4);
    private ByteBuffer frame;

    Connection(Node node, SocketChannel channel, SelectionKey key, long connectStartNanos) {
        this.node = node;
        this.channel = channel;
        this.key = key;
        this.connectStartNanos = connectStartNanos;
    }

    /**
     * Writes queued frames until the socket would block.
     *
     * @return requests that expect no answer and were fully written (acks=0), for completion
     */
    ArrayDeque<InFlight> write() throws IOException {
        ArrayDeque<InFlight> written = null;
        while (!sends.isEmpty()) {
            final Send send = sends.peekFirst();
            channel.write(send.frame());
            if (send.frame().hasRemaining()) {
                break;
            }
            sends.pollFirst();
            if (!send.request().expectResponse) {
                if (written == null) {
                    written = new ArrayDeque<>();
                }
                written.add(send.request());
            }
        }
        updateInterest();
        return written;
    }

    void updateInterest() {
        final int ops = state == State.CONNECTING ? SelectionKey.OP_CONNECT
                : SelectionKey.OP_READ | (sends.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /**
     * Reads one complete frame if available.
     *
     * @param maxFrame largest frame accepted
     * @return the frame's payload, or null when more bytes are needed
     * @throws IOException on end of stream or an invalid size
     */
    ByteBuffer read(int maxFrame) throws IOException {
        if (frame == null) {
            if (channel.read(sizeBuffer) < 0) {
                throw new IOException("connection closed by " + node);
            }
            if (sizeBuffer.hasRemaining()) {
                return null;
            }
            final int size = sizeBuffer.flip().getInt();
            sizeBuffer.clear();
            if (size < 4 || size > maxFrame) {
                throw new IOException("invalid response size " + size + " from " + node);
            }
            frame = ByteBuffer.allocate(size);
        }
        if (channel.read(frame) < 0) {
            throw new IOException("connection closed by " + node);
        }
        if (frame.hasRemaining()) {
            return null;
        }
        final ByteBuffer done = frame.flip();
        frame = null;
        return done;
    }
}

package dev.skiff.it;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * A blocking Kafka-protocol connection over a plain {@link Socket}, for tests that must send what no
 * well-behaved client would: requests are encoded with kafka-clients' own message classes (so a
 * well-formed request is exactly what Kafka would send), and the raw byte stream can be written directly.
 *
 * <pre>
 * request frame:  +-------------+----------------------------+----------------+
 *                 | size int32  | request header (v0/v1/v2)  | request body   |
 *                 +-------------+----------------------------+----------------+
 * response frame: +-------------+----------------------------+----------------+
 *                 | size int32  | correlation id [+ tags]    | response body  |
 *                 +-------------+----------------------------+----------------+
 * </pre>
 *
 * Not thread-safe: one test thread drives it.
 */
final class RawKafkaConnection implements AutoCloseable {
    private static final String CLIENT_ID = "skiff-it-raw";
    private static final int READ_TIMEOUT_MS = 15_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    private RawKafkaConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawKafkaConnection open(String host, int port) throws IOException {
        final Socket socket = new Socket();
        try {
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MS);
            return new RawKafkaConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code body} as a request of its API at {@code version}; returns the correlation id used. */
    int send(ApiMessage body, short version) throws IOException {
        final int correlationId = nextCorrelationId++;
        writeFully(encode(body, version, correlationId));
        return correlationId;
    }

    /**
     * Encodes a complete frame (size prefix included) with a header claiming {@code headerVersion} of the
     * API and a body written at {@code bodyVersion}; the two differ only when a test lies about the version.
     */
    static ByteBuffer encode(ApiMessage body, short headerVersion, short bodyVersion, int correlationId) {
        final ApiMessageType type = ApiMessageType.fromApiKey(body.apiKey());
        final RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(body.apiKey())
                .setRequestApiVersion(headerVersion)
                .setCorrelationId(correlationId)
                .setClientId(CLIENT_ID);
        final short headerSchema = type.requestHeaderVersion(headerVersion);
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int size = header.size(cache, headerSchema) + body.size(cache, bodyVersion);
        final ByteBuffer frame = ByteBuffer.allocate(4 + size);
        frame.putInt(size);
        final ByteBufferAccessor writer = new ByteBufferAccessor(frame);
        header.write(writer, cache, headerSchema);
        body.write(writer, cache, bodyVersion);
        frame.flip();
        return frame;
    }

    /**
     * Encodes only a request header, for frames a test assembles by hand (unknown API keys, bodies that
     * are not Kafka messages). {@code headerSchema} is the header format: 1 (client id) or 2 (plus tags).
     */
    static byte[] header(short apiKey, short apiVersion, short headerSchema, int correlationId) {
        final RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(apiKey)
                .setRequestApiVersion(apiVersion)
                .setCorrelationId(correlationId)
                .setClientId(CLIENT_ID);
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final ByteBuffer buffer = ByteBuffer.allocate(header.size(cache, headerSchema));
        header.write(new ByteBufferAccessor(buffer), cache, headerSchema);
        return buffer.array();
    }

    /** A frame: the size prefix followed by {@code parts} back to back. */
    static byte[] frame(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        final ByteBuffer frame = ByteBuffer.allocate(4 + size).putInt(size);
        for (byte[] part : parts) {
            frame.put(part);
        }
        return frame.array();
    }

    static ByteBuffer encode(ApiMessage body, short version, int correlationId) {
        return encode(body, version, version, correlationId);
    }

    int nextCorrelationId() {
        return nextCorrelationId++;
    }

    /** Writes bytes exactly as given: no size prefix is added. */
    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void writeFully(ByteBuffer frame) throws IOException {
        final byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        writeRaw(bytes);
    }

    /**
     * Reads the next response, checks its correlation id and decodes the body as {@code apiKey} at
     * {@code version} (the response header version follows the API and version, as in Kafka).
     */
    @SuppressWarnings("unchecked")
    <T extends ApiMessage> T receive(int correlationId, short apiKey, short version) throws IOException {
        final ApiMessageType type = ApiMessageType.fromApiKey(apiKey);
        return (T) receive(correlationId, type.newResponse(), type.responseHeaderVersion(version), version);
    }

    /** Reads one response into {@code body}, with explicit header and body versions. */
    <T extends ApiMessage> T receive(int correlationId, T body, short headerVersion, short bodyVersion)
            throws IOException {
        final int size = in.readInt();
        if (size < 4 || size > 64 * 1024 * 1024) {
            throw new IOException("implausible response size " + size);
        }
        final byte[] bytes = new byte[size];
        in.readFully(bytes);
        final ByteBufferAccessor reader = new ByteBufferAccessor(ByteBuffer.wrap(bytes));
        final ResponseHeaderData header = new ResponseHeaderData(reader, headerVersion);
        if (header.correlationId() != correlationId) {
            throw new IOException("expected correlation id " + correlationId + " but got " + header.correlationId());
        }
        body.read(reader, bodyVersion);
        return body;
    }

    /** Sends a request and reads its response. */
    <T extends ApiMessage> T roundTrip(ApiMessage request, short version) throws IOException {
        final int correlationId = send(request, version);
        return receive(correlationId, request.apiKey(), version);
    }

    /**
     * Whether the peer closes the connection within {@code timeout}: true on end of stream or a reset,
     * false if the connection is still open when the time runs out. Bytes that arrive are discarded.
     */
    boolean awaitClosedByPeer(Duration timeout) throws IOException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final byte[] sink = new byte[4096];
        while (true) {
            final long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(leftMs, Integer.MAX_VALUE)));
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (EOFException | SocketException e) {
                return true;
            } finally {
                if (!socket.isClosed()) {
                    socket.setSoTimeout(READ_TIMEOUT_MS);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

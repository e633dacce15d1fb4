package dev.skiff.it.group;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * A blocking connection that sends one request at an exact version, encoded by kafka-clients' own message
 * classes, and decodes the answer with them: what Kafka would send and how Kafka would read the reply.
 *
 * <pre>
 * request:  | size int32 | header (client id, + tags when flexible) | body |
 * response: | size int32 | correlation id (+ tags when flexible)    | body |
 * </pre>
 */
final class RawGroupClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int correlationId;

    RawGroupClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.setSoTimeout(15_000);
        socket.connect(new InetSocketAddress(host, port), 15_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    @SuppressWarnings("unchecked")
    <T extends ApiMessage> T call(ApiMessage request, int version) throws IOException {
        final short v = (short) version;
        final ApiMessageType type = ApiMessageType.fromApiKey(request.apiKey());
        final int id = ++correlationId;
        final RequestHeaderData header = new RequestHeaderData().setRequestApiKey(request.apiKey())
                .setRequestApiVersion(v).setCorrelationId(id).setClientId("raw-group");
        final short headerVersion = type.requestHeaderVersion(v);
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int size = header.size(cache, headerVersion) + request.size(cache, v);
        final ByteBuffer frame = ByteBuffer.allocate(4 + size).putInt(size);
        final ByteBufferAccessor writer = new ByteBufferAccessor(frame);
        header.write(writer, cache, headerVersion);
        request.write(writer, cache, v);
        out.write(frame.array());
        out.flush();

        final int length = in.readInt();
        final byte[] bytes = new byte[length];
        in.readFully(bytes);
        final ByteBufferAccessor reader = new ByteBufferAccessor(ByteBuffer.wrap(bytes));
        final ResponseHeaderData responseHeader = new ResponseHeaderData(reader, type.responseHeaderVersion(v));
        if (responseHeader.correlationId() != id) {
            throw new IOException("correlation id " + responseHeader.correlationId() + ", expected " + id);
        }
        final ApiMessage response = type.newResponse();
        response.read(reader, v);
        return (T) response;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

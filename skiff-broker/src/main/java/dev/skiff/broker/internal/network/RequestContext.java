package dev.skiff.broker.internal.network;

import dev.skiff.protocol.ApiMessage;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.RequestHeaderData;
import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;

/**
 * One decoded request and the way to answer it.
 *
 * <p>The answer may come from any thread; it is handed to the connection's event loop, which writes
 * responses strictly in the order the requests arrived.
 */
public final class RequestContext {
    private final ConnectionHandler connection;
    private final ApiKeys apiKey;
    private final short version;
    private final RequestHeaderData header;
    private final ApiMessage body;
    private short responseVersion;
    private ApiMessage response;
    private boolean sendResponse = true;
    private boolean closeAfter;
    private volatile boolean done;

    RequestContext(ConnectionHandler connection, ApiKeys apiKey, short version, RequestHeaderData header,
                   ApiMessage body) {
        this.connection = connection;
        this.apiKey = apiKey;
        this.version = version;
        this.header = header;
        this.body = body;
        this.responseVersion = version;
    }

    public ApiKeys apiKey() {
        return apiKey;
    }

    public short version() {
        return version;
    }

    public RequestHeaderData header() {
        return header;
    }

    public String clientId() {
        return header.clientId();
    }

    /** The decoded request body; cast to the API's {@code <Name>RequestData}. */
    public ApiMessage body() {
        return body;
    }

    /** The event loop of this connection; handlers schedule timers and callbacks here. */
    public EventExecutor executor() {
        return connection.executor();
    }

    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    /** Whether the connection is still open (a long-poll may stop early when it closes). */
    public boolean isConnectionOpen() {
        return connection.isOpen();
    }

    /** Answers with {@code message}, from any thread. */
    public void respond(ApiMessage message) {
        complete(message, true, false);
    }

    /** Completes without a response (Produce with acks=0). */
    public void noResponse() {
        complete(null, false, false);
    }

    /** Completes by closing the connection after earlier responses were written (Kafka's way to signal
     * an error to a client that expects no response, or a request that cannot be answered). */
    public void closeConnection() {
        complete(null, false, true);
    }

    private void complete(ApiMessage message, boolean send, boolean close) {
        final EventExecutor executor = connection.executor();
        if (executor.inEventLoop()) {
            finish(message, send, close);
        } else {
            executor.execute(() -> finish(message, send, close));
        }
    }

    private void finish(ApiMessage message, boolean send, boolean close) {
        if (done) {
            throw new IllegalStateException(apiKey + " request answered twice");
        }
        this.response = message;
        this.sendResponse = send;
        this.closeAfter = close;
        this.done = true;
        connection.onCompleted();
    }

    /** Version of the response; differs from the request's only for the ApiVersions fallback. */
    public short responseVersion() {
        return responseVersion;
    }

    void responseVersion(short v) {
        this.responseVersion = v;
    }

    /** The decoded request body, or null when the version was too new to decode (ApiVersions). */
    public boolean hasBody() {
        return body != null;
    }

    boolean isDone() {
        return done;
    }

    ApiMessage response() {
        return response;
    }

    boolean sendsResponse() {
        return sendResponse;
    }

    boolean closesAfter() {
        return closeAfter;
    }
}

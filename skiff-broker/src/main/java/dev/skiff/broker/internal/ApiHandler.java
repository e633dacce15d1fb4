package dev.skiff.broker.internal;

import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.message.ApiKeys;

/**
 * Serves one Kafka API key. Implementations are named {@code <Api>Handler}; each javadoc lists the
 * versions served and how Skiff's answer differs from a multi-node Kafka cluster.
 *
 * <p>{@link #handle} runs on the connection's event loop and must not block. It answers exactly once
 * through the context, possibly later and from another thread, and must not keep references to the
 * request's buffers after it returns (the frame is released then).
 */
public interface ApiHandler {
    ApiKeys apiKey();

    /** Oldest version advertised in ApiVersions. */
    short oldestVersion();

    /** Newest version advertised in ApiVersions; every version in the range is served. */
    short latestVersion();

    /** Lowest version actually served, when lower versions are advertised only for compatibility. */
    default short oldestServedVersion() {
        return oldestVersion();
    }

    void handle(RequestContext request);
}

package dev.skiff.broker.internal;

import dev.skiff.protocol.message.ApiKeys;

/**
 * Base of the API handlers: holds the key and the advertised version range, so that each handler
 * states them once, in its constructor, next to the javadoc that explains them.
 */
public abstract class VersionedHandler implements ApiHandler {
    private final ApiKeys apiKey;
    private final short oldestVersion;
    private final short latestVersion;

    protected VersionedHandler(ApiKeys apiKey, int oldestVersion, int latestVersion) {
        if (oldestVersion < 0 || latestVersion < oldestVersion) {
            throw new IllegalArgumentException(apiKey + ": bad version range " + oldestVersion + "-" + latestVersion);
        }
        this.apiKey = apiKey;
        this.oldestVersion = (short) oldestVersion;
        this.latestVersion = (short) latestVersion;
    }

    @Override
    public final ApiKeys apiKey() {
        return apiKey;
    }

    @Override
    public final short oldestVersion() {
        return oldestVersion;
    }

    @Override
    public final short latestVersion() {
        return latestVersion;
    }
}

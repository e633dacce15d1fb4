package dev.skiff.broker.internal;

import dev.skiff.protocol.message.ApiKeys;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The handlers this broker serves, by API key; ApiVersions advertises exactly these. */
public final class ApiRegistry {
    private final Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);

    public ApiRegistry(List<ApiHandler> all) {
        for (ApiHandler h : all) {
            if (handlers.put(h.apiKey(), h) != null) {
                throw new IllegalArgumentException("two handlers for " + h.apiKey());
            }
        }
    }

    /** The handler for {@code key}, or null when Skiff does not serve it. */
    public ApiHandler handler(ApiKeys key) {
        return handlers.get(key);
    }

    public Collection<ApiHandler> handlers() {
        return Collections.unmodifiableCollection(handlers.values());
    }
}

package dev.skiff.client.admin.internal;

import dev.skiff.client.internal.ConfigKeys;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin helper's settings: Kafka's AdminClient keys that apply to it, with Kafka's defaults,
 * validated once. An unknown key or a bad value fails with a
 * {@link dev.skiff.client.producer.ConfigException} naming the key, the value and what is allowed.
 */
public final class AdminSettings {
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CLIENT_ID = "client.id";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String DEFAULT_API_TIMEOUT_MS = "default.api.timeout.ms";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RECONNECT_BACKOFF_MS = "reconnect.backoff.ms";
    public static final String RECONNECT_BACKOFF_MAX_MS = "reconnect.backoff.max.ms";

    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();
    private static final ConfigKeys KEYS = new ConfigKeys("admin")
            .define(BOOTSTRAP_SERVERS, null, ConfigKeys.Kind.HOSTS, "host:port pairs, comma-separated, at least one")
            .define(CLIENT_ID, "", ConfigKeys.Kind.STRING, "any string; empty picks skiff-admin-N")
            .define(REQUEST_TIMEOUT_MS, "30000", ConfigKeys.Kind.POSITIVE_INT, "an integer >= 1")
            .define(DEFAULT_API_TIMEOUT_MS, "60000", ConfigKeys.Kind.POSITIVE_INT, "an integer >= 1")
            .define(RETRY_BACKOFF_MS, "100", ConfigKeys.Kind.LONG, "an integer >= 0")
            .define(RECONNECT_BACKOFF_MS, "50", ConfigKeys.Kind.LONG, "an integer >= 0")
            .define(RECONNECT_BACKOFF_MAX_MS, "1000", ConfigKeys.Kind.LONG, "an integer >= 0");

    private final Map<String, Object> values;
    private final String clientId;

    private AdminSettings(Map<String, Object> values) {
        this.values = values;
        final String id = (String) values.get(CLIENT_ID);
        this.clientId = id.isEmpty() ? "skiff-admin-" + CLIENT_IDS.incrementAndGet() : id;
    }

    /** Parses Kafka-style properties. */
    public static AdminSettings parse(Map<String, ?> properties) {
        return new AdminSettings(KEYS.parse(properties));
    }

    @SuppressWarnings("unchecked")
    public List<String> bootstrapServers() {
        return (List<String>) values.get(BOOTSTRAP_SERVERS);
    }

    public String clientId() {
        return clientId;
    }

    public int requestTimeoutMs() {
        return (Integer) values.get(REQUEST_TIMEOUT_MS);
    }

    /** How long one admin call may take in all, retries included. */
    public int defaultApiTimeoutMs() {
        return Math.max((Integer) values.get(DEFAULT_API_TIMEOUT_MS), requestTimeoutMs());
    }

    public long retryBackoffMs() {
        return (Long) values.get(RETRY_BACKOFF_MS);
    }

    public long reconnectBackoffMs() {
        return (Long) values.get(RECONNECT_BACKOFF_MS);
    }

    public long reconnectBackoffMaxMs() {
        return (Long) values.get(RECONNECT_BACKOFF_MAX_MS);
    }
}

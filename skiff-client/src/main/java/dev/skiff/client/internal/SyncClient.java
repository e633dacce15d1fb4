package dev.skiff.client.internal;

import dev.skiff.protocol.ApiMessage;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.MetadataRequestData;
import dev.skiff.protocol.message.MetadataResponseData;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Requests that the calling thread waits for, over a {@link NetworkClient}: what the admin helper and the
 * simple consumer use.
 *
 * <p>Design note: the producer drives its NetworkClient from a background sender thread. The admin
 * helper and the consumer have no thread of their own; the thread that calls them drives the selector
 * while it waits, so nothing here locks. Requests can still overlap: {@link #sendAsync} queues one and
 * {@link #pollUntil} runs the network until a condition holds (the consumer fetches from every leader
 * at once this way). Only {@link #wakeup()} may be called from another thread; it makes the current or
 * next wait end with a {@link ClientRequestException.Reason#WAKEUP}.
 *
 * <p>Before any broker has answered, waiting for a connection gives up after at most
 * {@link #BOOTSTRAP_WAIT_MS} (or request.timeout.ms if shorter) with an UNREACHABLE failure listing each
 * bootstrap address and why it failed, so a wrong address is reported in seconds, not after a long
 * timeout. That window spans calls: a consumer polling every 100 ms gets TIMEOUT failures (which it
 * rides out) until the window has passed, then UNREACHABLE.
 */
public final class SyncClient implements AutoCloseable {
    /** Longest wait for a first connection to any bootstrap address. */
    public static final long BOOTSTRAP_WAIT_MS = 5_000;
    private static final long MAX_POLL_MS = 50;

    private final NetworkClient network;
    private final Metadata metadata;
    private final List<String> bootstrapServers;
    private final int requestTimeoutMs;
    private final Set<String> tracked = new LinkedHashSet<>();
    private volatile boolean wakeupRequested;
    /** When the current wait for a first broker began (0: not waiting). */
    private long firstAttemptNanos;

    /** Outcome of one request; written by a handler on the calling thread. */
    public static final class Pending {
        private ApiMessage response;
        private Exception failure;
        private boolean timedOut;
        private boolean done;

        public boolean isDone() {
            return done;
        }

        public ApiMessage response() {
            return response;
        }

        /** The failure (message names the broker), or null when answered. */
        public Exception failure() {
            return failure;
        }

        public boolean timedOut() {
            return timedOut;
        }
    }

    public SyncClient(List<String> bootstrapServers, String clientId, int requestTimeoutMs, long reconnectBackoffMs,
                      long reconnectBackoffMaxMs, long metadataMaxAgeMs) {
        this.bootstrapServers = List.copyOf(bootstrapServers);
        this.requestTimeoutMs = requestTimeoutMs;
        this.metadata = new Metadata(bootstrapServers, metadataMaxAgeMs);
        this.network = new NetworkClient(clientId, requestTimeoutMs, reconnectBackoffMs, reconnectBackoffMaxMs);
    }

    /** The cluster view that {@link #fetchMetadata} keeps current. */
    public Metadata metadata() {
        return metadata;
    }

    public int requestTimeoutMs() {
        return requestTimeoutMs;
    }

    /** A deadline {@code ms} from now, in {@link System#nanoTime()} terms. */
    public static long deadline(long ms) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    }

    /** Makes the current (or next) wait end with a WAKEUP exception. Safe from any thread. */
    public void wakeup() {
        wakeupRequested = true;
        network.wakeup();
    }

    /** Forgets a pending wakeup; returns whether there was one. */
    public boolean clearWakeup() {
        final boolean was = wakeupRequested;
        wakeupRequested = false;
        return was;
    }

    /**
     * Runs network I/O until {@code done} holds or the deadline passes.
     *
     * @return whether {@code done} holds
     * @throws ClientRequestException with reason WAKEUP when {@link #wakeup()} was called (the wakeup is
     *                                consumed)
     */
    public boolean pollUntil(BooleanSupplier done, long deadlineNanos) {
        while (true) {
            if (done.getAsBoolean()) {
                return true;
            }
            checkWakeup();
            final long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            network.poll(Math.max(1, Math.min(MAX_POLL_MS, TimeUnit.NANOSECONDS.toMillis(remaining))));
        }
    }

    private void checkWakeup() {
        if (wakeupRequested) {
            wakeupRequested = false;
            throw new ClientRequestException(ClientRequestException.Reason.WAKEUP, Errors.NONE,
                    "interrupted by wakeup()", null);
        }
    }

    /**
     * A ready connection to the least loaded known broker, connecting when none is ready. Falls back to
     * the bootstrap addresses when every known broker fails.
     *
     * @throws ClientRequestException UNREACHABLE when no broker ever answered, else TIMEOUT
     */
    public Node anyReadyNode(long deadlineNanos) {
        final long start = System.nanoTime();
        if (!metadata.everUpdated() && firstAttemptNanos == 0) {
            firstAttemptNanos = start;
        }
        while (true) {
            final long now = System.nanoTime();
            final Node node = network.readyNode(metadata.nodes(), metadata.bootstrapNodes(), now);
            if (node != null) {
                firstAttemptNanos = 0;
                return node;
            }
            checkWakeup();
            final boolean bootstrapping = !metadata.everUpdated();
            final long windowEnd = firstAttemptNanos + TimeUnit.MILLISECONDS.toNanos(Math.min(BOOTSTRAP_WAIT_MS,
                    requestTimeoutMs));
            if (bootstrapping && now - windowEnd >= 0) {
                // A fresh window for the next call, so a broker that comes up later is found.
                firstAttemptNanos = 0;
                throw noBroker(now - start, true);
            }
            if (now - deadlineNanos >= 0) {
                throw noBroker(now - start, false);
            }
            final long until = bootstrapping ? Math.min(deadlineNanos, windowEnd) : deadlineNanos;
            network.poll(Math.max(1, Math.min(MAX_POLL_MS, TimeUnit.NANOSECONDS.toMillis(until - now))));
        }
    }

    private ClientRequestException noBroker(long waitedNanos, boolean unreachable) {
        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(waitedNanos);
        final StringBuilder why = new StringBuilder();
        final List<Node> tried = metadata.everUpdated() ? metadata.nodes() : metadata.bootstrapNodes();
        for (Node n : tried) {
            final String err = network.lastConnectError(n);
            if (why.length() > 0) {
                why.append("; ");
            }
            why.append(n.address()).append(": ").append(err == null ? "no answer" : err);
        }
        if (unreachable) {
            return new ClientRequestException(ClientRequestException.Reason.UNREACHABLE, Errors.NETWORK_EXCEPTION,
                    "Could not reach any broker of bootstrap.servers=" + String.join(",", bootstrapServers)
                            + " within " + Math.min(BOOTSTRAP_WAIT_MS, requestTimeoutMs) + " ms (" + why
                            + "): check the addresses and that the brokers are running", null);
        }
        return new ClientRequestException(ClientRequestException.Reason.TIMEOUT, Errors.NETWORK_EXCEPTION,
                "No broker could be reached within " + waitedMs + " ms (" + why + ")", null);
    }

    /**
     * A ready connection to {@code node}, connecting (with backoff) until the deadline.
     *
     * @throws ClientRequestException TIMEOUT naming the node and the last connection error
     */
    public Node readyNode(Node node, long deadlineNanos) {
        final long start = System.nanoTime();
        while (true) {
            if (network.isReady(node)) {
                return node;
            }
            final long now = System.nanoTime();
            if (!network.isConnectingOrConnected(node)) {
                network.connect(node, now);
                if (network.isReady(node)) {
                    return node;
                }
            }
            checkWakeup();
            if (now - deadlineNanos >= 0) {
                final String err = network.lastConnectError(node);
                throw new ClientRequestException(ClientRequestException.Reason.TIMEOUT, Errors.NETWORK_EXCEPTION,
                        "Could not connect to " + node + " within " + TimeUnit.NANOSECONDS.toMillis(now - start)
                                + " ms" + (err == null ? "" : " (" + err + ")"), null);
            }
            network.poll(Math.max(1, Math.min(MAX_POLL_MS, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - now))));
        }
    }

    /** Whether a ready {@code node} speaks a version of {@code api} from {@code min} up. */
    public boolean supports(Node node, ApiKeys api, short min) {
        final ApiVersions v = network.versions(node);
        return v != null && v.negotiate(api, min, ApiVersions.clientMax(api)) >= 0;
    }

    /**
     * The highest version of {@code api} in {@code min..max} that a ready {@code node} and this client speak.
     *
     * @throws ClientRequestException UNSUPPORTED_VERSION naming the broker's range
     */
    public short version(Node node, ApiKeys api, short min, short max) {
        final ApiVersions v = network.versions(node);
        final short version = v == null ? -1 : v.negotiate(api, min, (short) Math.min(max, ApiVersions.clientMax(api)));
        if (version < 0) {
            throw new ClientRequestException(ClientRequestException.Reason.UNSUPPORTED_VERSION,
                    Errors.UNSUPPORTED_VERSION, "Broker " + node + " does not support " + api.messageName()
                    + " versions " + min + "-" + Math.min(max, ApiVersions.clientMax(api)) + " ("
                    + (v == null ? "not connected" : v.describe(api)) + ")", null);
        }
        return version;
    }

    /** {@link #version(Node, ApiKeys, short, short)} up to the newest version this client knows. */
    public short version(Node node, ApiKeys api, short min) {
        return version(node, api, min, ApiVersions.clientMax(api));
    }

    /**
     * Starts connecting to {@code node} unless connected, connecting or backing off; does not wait.
     *
     * @return whether the node is ready for requests now
     */
    public boolean connect(Node node) {
        if (network.isReady(node)) {
            return true;
        }
        if (!network.isConnectingOrConnected(node)) {
            network.connect(node, System.nanoTime());
        }
        return network.isReady(node);
    }

    /** Failed connection attempts to {@code node} in a row. */
    public int connectFailures(Node node) {
        return network.connectFailures(node);
    }

    /** Queues a request to a ready node; {@code handler} runs on the thread of a later {@link #pollUntil}. */
    public void send(Node node, ApiMessage request, short version, ResponseHandler handler) {
        network.send(node, request, version, true, handler);
    }

    /** Queues a request to a ready node; the returned outcome fills in as {@link #pollUntil} runs. */
    public Pending sendAsync(Node node, ApiMessage request, short version) {
        final Pending pending = new Pending();
        network.send(node, request, version, true, new ResponseHandler() {
            @Override
            public void onResponse(ApiMessage response, long latencyNanos) {
                pending.response = response;
                pending.done = true;
            }

            @Override
            public void onFailure(Exception cause, boolean timedOut) {
                pending.failure = cause;
                pending.timedOut = timedOut;
                pending.done = true;
            }
        });
        return pending;
    }

    /**
     * Sends a request to a ready node and waits for its answer.
     *
     * @throws ClientRequestException when the connection breaks, the deadline passes or on wakeup
     */
    public ApiMessage send(Node node, ApiMessage request, short version, long deadlineNanos) {
        final Pending pending = sendAsync(node, request, version);
        final String name = ApiKeys.forId(request.apiKey()).messageName();
        if (!pollUntil(pending::isDone, deadlineNanos)) {
            throw new ClientRequestException(ClientRequestException.Reason.TIMEOUT, Errors.REQUEST_TIMED_OUT,
                    name + " request to " + node + " got no answer in time", null);
        }
        return result(pending, name);
    }

    /**
     * The answer of a completed request.
     *
     * @throws ClientRequestException DISCONNECTED or TIMEOUT when it failed
     */
    public static ApiMessage result(Pending pending, String what) {
        if (pending.failure != null) {
            throw new ClientRequestException(pending.timedOut ? ClientRequestException.Reason.TIMEOUT
                    : ClientRequestException.Reason.DISCONNECTED,
                    pending.timedOut ? Errors.REQUEST_TIMED_OUT : Errors.NETWORK_EXCEPTION,
                    what + " failed: " + pending.failure.getMessage(), pending.failure);
        }
        return pending.response;
    }

    /** Adds a topic that every later metadata request includes, so its view stays current. */
    public void track(String topic) {
        tracked.add(topic);
    }

    /** Stops including {@code topic} in metadata requests. */
    public void untrack(String topic) {
        tracked.remove(topic);
    }

    /**
     * Asks any broker for metadata without creating topics, and makes it the current view.
     *
     * @param topics the topics to describe, besides the {@linkplain #track tracked} ones; null for every topic
     */
    public MetadataResponseData fetchMetadata(Collection<String> topics, long deadlineNanos) {
        final Node node = anyReadyNode(deadlineNanos);
        final short version = version(node, ApiKeys.METADATA, (short) 1);
        final MetadataRequestData request = new MetadataRequestData();
        if (topics == null) {
            request.setTopics(null);
        } else {
            final Set<String> all = new LinkedHashSet<>(tracked);
            all.addAll(topics);
            final List<MetadataRequestData.MetadataRequestTopic> list = new ArrayList<>();
            for (String t : all) {
                list.add(new MetadataRequestData.MetadataRequestTopic().setName(t));
            }
            request.setTopics(list);
        }
        if (version >= 4) {
            request.setAllowAutoTopicCreation(false);
        }
        final MetadataResponseData response = (MetadataResponseData) send(node, request, version, deadlineNanos);
        metadata.update(response, System.nanoTime());
        return response;
    }

    /** Closes every connection. */
    @Override
    public void close() {
        network.close();
    }
}

package dev.skiff.client.producer.internal;

import dev.skiff.client.internal.ApiVersions;
import dev.skiff.client.internal.Metadata;
import dev.skiff.client.internal.NetworkClient;
import dev.skiff.client.internal.Node;
import dev.skiff.client.internal.ResponseHandler;
import dev.skiff.client.internal.TopicInfo;
import dev.skiff.client.producer.DeliveryTimeoutException;
import dev.skiff.client.producer.ProducerClosedException;
import dev.skiff.client.producer.ProducerConfig;
import dev.skiff.client.producer.ProducerException;
import dev.skiff.protocol.ApiMessage;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.Uuids;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.InitProducerIdRequestData;
import dev.skiff.protocol.message.InitProducerIdResponseData;
import dev.skiff.protocol.message.MetadataResponseData;
import dev.skiff.protocol.message.ProduceRequestData;
import dev.skiff.protocol.message.ProduceResponseData;
import dev.skiff.protocol.record.BatchHeader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's single background thread: fetches metadata, places parked records, drains ready
 * batches per leader into Produce requests, and handles answers (completion, retries, idempotence).
 *
 * <p>Design note: everything network-side runs on this one thread, so sequence numbers, in-flight
 * lists and connection state need no locks. Sending threads only touch the accumulator and the
 * routes, and wake this thread when a new batch or a new topic appears.
 *
 * <p>When can a batch fail? When delivery.timeout.ms passes while it waits or is retried, when the
 * broker answers with a non-retriable error, or when the producer is closed with a timeout that
 * expires. A retriable error (or a lost connection) puts it back at the head of its partition's
 * queue after an exponential backoff with jitter; with idempotence its sequence is kept, so a retry
 * the broker had already written is answered as a duplicate, not written twice.
 */
public final class Sender implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);
    private static final short PRODUCE_MIN = 3;
    private static final short METADATA_MIN = 1;
    private static final long MAX_POLL_MS = 100;

    private final ProducerConfig config;
    private final Metadata metadata;
    private final NetworkClient network;
    private final RecordAccumulator accumulator;
    private final RecordRouter router;
    private final ProducerStats stats;
    private final boolean idempotent;

    private volatile boolean running = true;
    private volatile boolean forceClose;
    private volatile int flushes;
    private volatile ProducerException fatal;

    private boolean metadataInFlight;
    private long nextMetadataNanos;

    // Idempotence (sender thread only).
    private long producerId = BatchHeader.NO_PRODUCER_ID;
    private short producerEpoch = BatchHeader.NO_PRODUCER_EPOCH;
    private boolean initInFlight;
    private boolean bumpRequested;
    private long nextInitNanos;
    private int initAttempts;
    private int produceInFlight;

    // Drain pass state (sender thread only): a reused snapshot of the partition queues and a rotating start.
    private final List<PartitionQueue> drainOrder = new ArrayList<>();
    private int drainStart;

    public Sender(ProducerConfig config, Metadata metadata, NetworkClient network, RecordAccumulator accumulator,
                  RecordRouter router, ProducerStats stats) {
        this.config = config;
        this.metadata = metadata;
        this.network = network;
        this.accumulator = accumulator;
        this.router = router;
        this.stats = stats;
        this.idempotent = config.idempotence();
    }

    /** Asks the loop to end once everything pending is delivered or failed. */
    public void initiateClose() {
        running = false;
        network.wakeup();
    }

    /** Asks the loop to end now, failing whatever is left. */
    public void forceClose() {
        forceClose = true;
        running = false;
        network.wakeup();
    }

    public void beginFlush() {
        synchronized (this) {
            flushes++;
        }
        network.wakeup();
    }

    public void endFlush() {
        synchronized (this) {
            flushes--;
        }
    }

    /** A fatal error that stops the producer (e.g. idempotence refused), or null. */
    public ProducerException fatalError() {
        return fatal;
    }

    public void wakeup() {
        network.wakeup();
    }

    @Override
    public void run() {
        LOG.debug("Sender started");
        while (running) {
            runOnceSafely();
        }
        while (!forceClose && (router.hasPending() || accumulator.hasIncomplete())) {
            runOnceSafely();
        }
        final ProducerClosedException closed = new ProducerClosedException(
                "The producer was closed before this record was delivered (close timeout expired)");
        for (TopicRoute route : router.routes()) {
            router.failPending(route, closed);
        }
        for (PartitionQueue q : accumulator.queues()) {
            synchronized (q) {
                for (ProducerBatch b : q.deque) {
                    finish(b, closed);
                }
                q.deque.clear();
                q.size = 0;
            }
            for (ProducerBatch b : q.inFlight) {
                finish(b, closed);
            }
            q.inFlight.clear();
        }
        network.close();
        LOG.debug("Sender stopped");
    }

    private void runOnceSafely() {
        try {
            runOnce();
        } catch (RuntimeException | Error e) {
            LOG.error("Unexpected error in the producer's sender thread", e);
        }
    }

    void runOnce() {
        final long nowNanos = System.nanoTime();
        final long nowMs = System.currentTimeMillis();
        for (TopicRoute route : router.routes()) {
            metadata.add(route.topic);
        }
        maybeUpdateMetadata(nowNanos);
        if (idempotent) {
            maybeInitProducerId(nowNanos);
        }
        updateRoutes(nowNanos, nowMs);
        expireBatches(nowMs);
        final long waitMs = sendProduceRequests(nowMs);
        long timeout = Math.min(waitMs, MAX_POLL_MS);
        if (metadata.updateDue(nowNanos) && !metadataInFlight) {
            timeout = Math.min(timeout, Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextMetadataNanos - nowNanos)));
        }
        network.poll(Math.max(0, timeout));
    }

    // ---- metadata ----

    private void maybeUpdateMetadata(long now) {
        if (metadataInFlight || !metadata.updateDue(now) || now < nextMetadataNanos) {
            return;
        }
        final Node node = network.readyNode(metadata.nodes(), metadata.bootstrapNodes(), now);
        if (node == null) {
            return;
        }
        final ApiVersions versions = network.versions(node);
        final short version = versions.negotiate(ApiKeys.METADATA, METADATA_MIN,
                ApiVersions.clientMax(ApiKeys.METADATA));
        if (version < 0) {
            fatal(new ProducerException("Broker " + node + " does not support a Metadata version this client speaks ("
                    + versions.describe(ApiKeys.METADATA) + ")"));
            return;
        }
        metadataInFlight = true;
        metadata.updateSent();
        network.send(node, metadata.buildRequest(), version, true, new ResponseHandler() {
            @Override
            public void onResponse(ApiMessage response, long latencyNanos) {
                metadataInFlight = false;
                final long t = System.nanoTime();
                metadata.update((MetadataResponseData) response, t);
                nextMetadataNanos = t + TimeUnit.MILLISECONDS.toNanos(config.retryBackoffMs());
            }

            @Override
            public void onFailure(Exception cause, boolean timedOut) {
                metadataInFlight = false;
                metadata.updateFailed();
                nextMetadataNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.retryBackoffMs());
            }
        });
    }

    /** Why no broker answers, for error messages; null when some broker has answered. */
    private String unreachableReason() {
        if (metadata.everUpdated()) {
            return null;
        }
        final StringBuilder sb = new StringBuilder();
        for (Node n : metadata.bootstrapNodes()) {
            final String err = network.lastConnectError(n);
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(n.address()).append(": ").append(err == null ? "no answer yet" : err);
        }
        return sb.toString();
    }

    // ---- routes (parked records) ----

    private void updateRoutes(long nowNanos, long nowMs) {
        final long maxBlockNanos = TimeUnit.MILLISECONDS.toNanos(config.maxBlockMs());
        boolean newBatch = false;
        for (TopicRoute route : router.routes()) {
            final TopicInfo info = metadata.topic(route.topic);
            newBatch |= router.update(route, info, nowMs);
            final boolean waiting;
            final long since;
            synchronized (route) {
                waiting = !route.pending.isEmpty();
                since = route.waitingSinceNanos;
            }
            if (!waiting) {
                continue;
            }
            if (info != null && info.error() != Errors.NONE && !info.error().isRetriable()) {
                router.failPending(route, topicError(route.topic, info.error()));
            } else if (nowNanos - since >= maxBlockNanos) {
                router.failPending(route, metadataTimeout(route.topic, info));
            }
        }
        if (newBatch) {
            network.wakeup();
        }
    }

    private ProducerException topicError(String topic, Errors error) {
        if (error == Errors.INVALID_TOPIC_EXCEPTION) {
            return new ProducerException("Topic name '" + topic + "' is invalid: use up to 249 letters, digits, '.', "
                    + "'_' or '-'", error, null);
        }
        if (error == Errors.TOPIC_AUTHORIZATION_FAILED) {
            return new ProducerException("Not authorized to access topic '" + topic + "': grant this principal WRITE "
                    + "and DESCRIBE on it", error, null);
        }
        return new ProducerException("Metadata for topic '" + topic + "' failed with " + error + ": "
                + error.message(), error, null);
    }

    private ProducerException metadataTimeout(String topic, TopicInfo info) {
        final String unreachable = unreachableReason();
        if (unreachable != null) {
            return new DeliveryTimeoutException("Could not reach any broker of bootstrap.servers="
                    + String.join(",", config.bootstrapServers()) + " within max.block.ms=" + config.maxBlockMs()
                    + " (" + unreachable + "): check the addresses and that the brokers are running",
                    Errors.NETWORK_EXCEPTION, null);
        }
        if (info != null && info.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
            return new DeliveryTimeoutException("Topic '" + topic + "' does not exist and the broker did not create "
                    + "it (auto.create.topics.enable is off) within max.block.ms=" + config.maxBlockMs()
                    + ": create the topic first", Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
        }
        final String state = info == null ? "no metadata answer mentioned it"
                : info.error() != Errors.NONE ? "the broker answered " + info.error() : "it has no partitions";
        return new DeliveryTimeoutException("Topic '" + topic + "' could not be used within max.block.ms="
                + config.maxBlockMs() + ": " + state, info == null ? Errors.NONE : info.error(), null);
    }

    // ---- idempotence ----

    private void maybeInitProducerId(long now) {
        final boolean needed = producerId == BatchHeader.NO_PRODUCER_ID || (bumpRequested && produceInFlight == 0);
        if (!needed || initInFlight || now < nextInitNanos || fatal != null) {
            return;
        }
        final Node node = network.readyNode(metadata.nodes(), metadata.bootstrapNodes(), now);
        if (node == null) {
            return;
        }
        final ApiVersions versions = network.versions(node);
        final short version = versions.negotiate(ApiKeys.INIT_PRODUCER_ID, (short) 0,
                ApiVersions.clientMax(ApiKeys.INIT_PRODUCER_ID));
        if (version < 0) {
            fatal(new ProducerException("Broker " + node + " does not support InitProducerId ("
                    + versions.describe(ApiKeys.INIT_PRODUCER_ID) + "), which idempotence needs: set "
                    + "enable.idempotence=false"));
            return;
        }
        final InitProducerIdRequestData request = new InitProducerIdRequestData()
                .setTransactionalId(null)
                .setTransactionTimeoutMs(Integer.MAX_VALUE);
        final boolean bump = producerId != BatchHeader.NO_PRODUCER_ID && version >= 3;
        request.setProducerId(bump ? producerId : -1).setProducerEpoch(bump ? producerEpoch : -1);
        initInFlight = true;
        network.send(node, request, version, true, new ResponseHandler() {
            @Override
            public void onResponse(ApiMessage response, long latencyNanos) {
                initInFlight = false;
                final InitProducerIdResponseData r = (InitProducerIdResponseData) response;
                final Errors error = Errors.forCode(r.errorCode());
                if (error == Errors.NONE) {
                    onProducerId(r.producerId(), r.producerEpoch());
                } else if (error.isRetriable() || error == Errors.COORDINATOR_NOT_AVAILABLE
                        || error == Errors.NOT_COORDINATOR) {
                    retryInit();
                } else if (bump) {
                    // The broker would not bump this id: start over with a fresh producer id.
                    producerId = BatchHeader.NO_PRODUCER_ID;
                    retryInit();
                } else {
                    fatal(new ProducerException("The broker refused a producer id (" + error + ": " + error.message()
                            + "); idempotence cannot work: grant IDEMPOTENT_WRITE or set enable.idempotence=false",
                            error, null));
                }
            }

            @Override
            public void onFailure(Exception cause, boolean timedOut) {
                initInFlight = false;
                retryInit();
            }
        });
    }

    private void retryInit() {
        initAttempts++;
        nextInitNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs(initAttempts));
    }

    private void onProducerId(long pid, short epoch) {
        LOG.debug("Producer id {} epoch {}", pid, epoch);
        producerId = pid;
        producerEpoch = epoch;
        bumpRequested = false;
        initAttempts = 0;
        for (PartitionQueue q : accumulator.queues()) {
            q.nextSequence = 0;
            q.lastAckedSequence = -1;
        }
    }

    private void requestBump() {
        if (idempotent) {
            bumpRequested = true;
        }
    }

    private void fatal(ProducerException e) {
        LOG.error("Producer failed: {}", e.getMessage());
        fatal = e;
        for (TopicRoute route : router.routes()) {
            router.failPending(route, e);
        }
        for (PartitionQueue q : accumulator.queues()) {
            synchronized (q) {
                for (ProducerBatch b : q.deque) {
                    finish(b, e);
                }
                q.deque.clear();
                q.size = 0;
            }
        }
    }

    // ---- batches ----

    private void expireBatches(long nowMs) {
        final long timeout = config.deliveryTimeoutMs();
        for (PartitionQueue q : accumulator.queues()) {
            synchronized (q) {
                final Iterator<ProducerBatch> it = q.deque.iterator();
                while (it.hasNext()) {
                    final ProducerBatch b = it.next();
                    if (nowMs - b.createdMs < timeout) {
                        break;
                    }
                    it.remove();
                    q.size = q.deque.size();
                    if (b.hasSequence()) {
                        requestBump();
                    }
                    finish(b, deliveryTimeout(b, nowMs));
                }
            }
        }
    }

    private DeliveryTimeoutException deliveryTimeout(ProducerBatch b, long nowMs) {
        final String last = b.lastError == Errors.NONE ? "" : "; last error: " + b.lastError
                + (b.lastErrorMessage == null ? "" : " (" + b.lastErrorMessage + ")");
        String leader = "";
        final TopicInfo info = metadata.topic(b.tp.topic());
        if (info != null && info.leader(b.tp.partition()) < 0) {
            leader = "; the partition has no leader";
        }
        final String unreachable = unreachableReason();
        return new DeliveryTimeoutException(b.recordCount() + " record(s) for " + b.tp + " expired after "
                + (nowMs - b.createdMs) + " ms (delivery.timeout.ms=" + config.deliveryTimeoutMs() + "), "
                + b.attempts + " attempt(s)" + last + leader
                + (unreachable == null ? "" : "; no broker reachable: " + unreachable),
                b.lastError, null);
    }

    /**
     * Drains ready batches into at most one Produce request per ready leader.
     *
     * @return ms until something may become ready (for the poll timeout)
     */
    private long sendProduceRequests(long nowMs) {
        long waitMs = MAX_POLL_MS;
        if (idempotent && (producerId == BatchHeader.NO_PRODUCER_ID || bumpRequested)) {
            return waitMs;
        }
        if (fatal != null) {
            return waitMs;
        }
        final boolean flushing = flushes > 0 || !running;
        final Map<Node, List<ProducerBatch>> requests = new LinkedHashMap<>();
        final Map<Node, Integer> requestSizes = new HashMap<>();
        // Start each pass one partition further, so when max.request.size cuts a request short the same
        // partitions are not always the ones left behind.
        drainOrder.clear();
        drainOrder.addAll(accumulator.queues());
        final int queueCount = drainOrder.size();
        final int start = queueCount == 0 ? 0 : Math.floorMod(drainStart++, queueCount);
        for (int i = 0; i < queueCount; i++) {
            final PartitionQueue q = drainOrder.get((start + i) % queueCount);
            if (q.size == 0) {
                continue;
            }
            final TopicInfo info = metadata.topic(q.tp.topic());
            final int leader = info == null ? -1 : info.leader(q.tp.partition());
            final Node node = leader < 0 ? null : metadata.node(leader);
            if (node == null) {
                metadata.requestUpdate();
                continue;
            }
            if (!network.isReady(node)) {
                if (!network.isConnectingOrConnected(node)) {
                    // The leader we know is unreachable (killed, restarting): its partitions have probably moved,
                    // so ask for fresh metadata (rate-limited by retry.backoff.ms) instead of waiting for
                    // metadata.max.age.ms while its batches sit here, as Kafka's client does.
                    metadata.requestUpdate();
                }
                network.connect(node, System.nanoTime());
                continue;
            }
            // The limit is on requests, not batches: once this pass has a request for the node, every ready
            // partition of the node joins it (up to max.request.size).
            if (!requests.containsKey(node) && network.inFlight(node) >= config.maxInFlightRequestsPerConnection()) {
                continue;
            }
            synchronized (q) {
                final ProducerBatch head = q.deque.peekFirst();
                if (head == null) {
                    continue;
                }
                if (idempotent && q.lastAckedSequence < 0 && !q.inFlight.isEmpty()) {
                    // Until the broker acknowledged a first batch of this producer id and epoch for the partition,
                    // it has no sequence to check against and would take a later batch as the first one if the
                    // earlier one failed (e.g. NOT_LEADER_OR_FOLLOWER on a new topic): one request at a time.
                    continue;
                }
                if (head.inRetry) {
                    if (nowMs < head.nextAttemptMs) {
                        waitMs = Math.min(waitMs, head.nextAttemptMs - nowMs);
                        continue;
                    }
                    if (idempotent && !q.inFlight.isEmpty()) {
                        continue;
                    }
                } else if (!head.isFull() && q.deque.size() == 1 && !flushing) {
                    final long left = head.createdMs + config.lingerMs() - nowMs;
                    if (left > 0) {
                        waitMs = Math.min(waitMs, left);
                        continue;
                    }
                }
                final int size = requestSizes.getOrDefault(node, 0);
                if (size > 0 && size + head.sizeInBytes() > config.maxRequestSize()) {
                    waitMs = 0;
                    continue;
                }
                q.deque.pollFirst();
                q.size = q.deque.size();
                if (idempotent && (!head.hasSequence() || head.producerId != producerId
                        || head.producerEpoch != producerEpoch)) {
                    head.setProducerState(producerId, producerEpoch, q.nextSequence);
                    q.nextSequence = BatchHeader.incrementSequence(q.nextSequence, head.recordCount());
                }
                head.close();
                requestSizes.put(node, size + head.sizeInBytes());
                requests.computeIfAbsent(node, n -> new ArrayList<>()).add(head);
                if (!q.deque.isEmpty()) {
                    waitMs = 0;
                }
            }
        }
        for (Map.Entry<Node, List<ProducerBatch>> e : requests.entrySet()) {
            sendProduce(e.getKey(), e.getValue(), nowMs);
        }
        return waitMs;
    }

    private void sendProduce(Node node, List<ProducerBatch> batches, long nowMs) {
        final ApiVersions versions = network.versions(node);
        short version = versions.negotiate(ApiKeys.PRODUCE, PRODUCE_MIN, ApiVersions.clientMax(ApiKeys.PRODUCE));
        if (version >= 13) {
            for (ProducerBatch b : batches) {
                final TopicInfo info = metadata.topic(b.tp.topic());
                if (info == null || Uuids.ZERO.equals(info.topicId())) {
                    version = versions.negotiate(ApiKeys.PRODUCE, PRODUCE_MIN, (short) 12);
                    break;
                }
            }
        }
        if (version < 0) {
            final ProducerException e = new ProducerException("Broker " + node + " does not support a Produce "
                    + "version this client speaks (" + versions.describe(ApiKeys.PRODUCE) + ", need 3 or later)");
            for (ProducerBatch b : batches) {
                finish(b, e);
            }
            return;
        }
        final Map<String, ProduceRequestData.TopicProduceData> topics = new LinkedHashMap<>();
        final Map<TopicPartition, ProducerBatch> byPartition = new HashMap<>();
        final Map<UUID, String> names = new HashMap<>();
        for (ProducerBatch b : batches) {
            final ProduceRequestData.TopicProduceData t = topics.computeIfAbsent(b.tp.topic(), name -> {
                final TopicInfo info = metadata.topic(name);
                final UUID id = info == null ? Uuids.ZERO : info.topicId();
                names.put(id, name);
                return new ProduceRequestData.TopicProduceData().setName(name).setTopicId(id);
            });
            t.partitionData().add(new ProduceRequestData.PartitionProduceData()
                    .setIndex(b.tp.partition())
                    .setRecords(b.records()));
            byPartition.put(b.tp, b);
            b.attempts++;
            accumulator.queue(b.tp).inFlight.add(b);
        }
        final ProduceRequestData request = new ProduceRequestData()
                .setTransactionalId(null)
                .setAcks(config.acks())
                .setTimeoutMs(config.requestTimeoutMs())
                .setTopicData(new ArrayList<>(topics.values()));
        final short v = version;
        final boolean expectResponse = config.acks() != 0;
        produceInFlight++;
        stats.recordRequest(batches);
        network.send(node, request, version, expectResponse, new ResponseHandler() {
            @Override
            public void onResponse(ApiMessage response, long latencyNanos) {
                produceInFlight--;
                stats.recordLatency(latencyNanos);
                handleProduceResponse((ProduceResponseData) response, v, byPartition, names);
            }

            @Override
            public void onFailure(Exception cause, boolean timedOut) {
                produceInFlight--;
                metadata.requestUpdate();
                final Errors error = timedOut ? Errors.REQUEST_TIMED_OUT : Errors.NETWORK_EXCEPTION;
                for (ProducerBatch b : byPartition.values()) {
                    onBatchError(b, error, cause.getMessage());
                }
            }
        });
    }

    private void handleProduceResponse(ProduceResponseData response, short version,
                                       Map<TopicPartition, ProducerBatch> batches, Map<UUID, String> names) {
        if (response == null) {
            for (ProducerBatch b : batches.values()) {
                accumulator.queue(b.tp).inFlight.remove(b);
                complete(b, -1, -1);
            }
            return;
        }
        for (ProduceResponseData.TopicProduceResponse t : response.responses()) {
            final String topic = version >= 13 ? names.get(t.topicId()) : t.name();
            for (ProduceResponseData.PartitionProduceResponse p : t.partitionResponses()) {
                final ProducerBatch b = batches.remove(new TopicPartition(topic, p.index()));
                if (b == null) {
                    continue;
                }
                final Errors error = Errors.forCode(p.errorCode());
                if (error == Errors.NONE || error == Errors.DUPLICATE_SEQUENCE_NUMBER) {
                    final PartitionQueue q = accumulator.queue(b.tp);
                    q.inFlight.remove(b);
                    if (idempotent && b.producerEpoch == producerEpoch && b.producerId == producerId) {
                        q.lastAckedSequence = Math.max(q.lastAckedSequence,
                                b.baseSequence + b.recordCount() - 1);
                    }
                    complete(b, p.baseOffset(), p.logAppendTimeMs());
                } else {
                    onBatchError(b, error, p.errorMessage());
                }
            }
        }
        for (ProducerBatch b : batches.values()) {
            onBatchError(b, Errors.UNKNOWN_SERVER_ERROR, "the Produce response did not mention " + b.tp);
        }
    }

    private void onBatchError(ProducerBatch b, Errors error, String message) {
        final PartitionQueue q = accumulator.queue(b.tp);
        q.inFlight.remove(b);
        b.lastError = error;
        b.lastErrorMessage = message;
        final long nowMs = System.currentTimeMillis();
        final boolean sameEpoch = b.producerId == producerId && b.producerEpoch == producerEpoch;
        boolean retry;
        if (!running && forceClose) {
            retry = false;
        } else if (idempotent && error == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER) {
            if (!sameEpoch || b.baseSequence > q.lastAckedSequence + 1) {
                // Behind a batch that failed or is being retried: not this batch's fault, send it again in order.
                retry = true;
            } else if (b.baseSequence <= q.lastAckedSequence) {
                // A later batch was written first (a broker with no state for this producer takes any first
                // sequence), so this one can never be accepted in this epoch: resend it in a new one rather than
                // retrying until delivery.timeout.ms. The normal path avoids this; see sendProduceRequests.
                requestBump();
                retry = true;
            } else {
                // The next expected sequence, refused: the broker lost this producer's state.
                requestBump();
                retry = false;
            }
        } else if (idempotent && error == Errors.UNKNOWN_PRODUCER_ID) {
            requestBump();
            retry = true;
        } else if (idempotent && error == Errors.INVALID_PRODUCER_EPOCH && !sameEpoch) {
            retry = true;
        } else {
            retry = error.isRetriable() || error == Errors.UNKNOWN_SERVER_ERROR && message != null
                    && message.startsWith("the Produce response");
            retry &= b.attempts <= config.retries();
        }
        retry &= nowMs - b.createdMs < config.deliveryTimeoutMs();
        if (invalidatesMetadata(error)) {
            metadata.requestUpdate();
        }
        if (retry) {
            stats.recordRetry();
            b.inRetry = true;
            b.nextAttemptMs = nowMs + backoffMs(b.attempts);
            q.reenqueue(b);
            LOG.debug("Retrying {} after {}: {}", b, error, message);
            return;
        }
        if (idempotent && b.hasSequence()) {
            // A gap in the sequence is left behind: start a new epoch so later batches are accepted.
            requestBump();
        }
        if (nowMs - b.createdMs >= config.deliveryTimeoutMs() && error.isRetriable()) {
            finish(b, deliveryTimeout(b, nowMs));
        } else {
            finish(b, ErrorMessages.forBatch(error, message, b.tp, b.sizeInBytes()));
        }
    }

    private static boolean invalidatesMetadata(Errors error) {
        switch (error) {
            case NOT_LEADER_OR_FOLLOWER:
            case LEADER_NOT_AVAILABLE:
            case UNKNOWN_TOPIC_OR_PARTITION:
            case UNKNOWN_TOPIC_ID:
            case NETWORK_EXCEPTION:
            case REQUEST_TIMED_OUT:
            case KAFKA_STORAGE_ERROR:
            case FENCED_LEADER_EPOCH:
            case UNKNOWN_LEADER_EPOCH:
            case NOT_ENOUGH_REPLICAS:
            case NOT_ENOUGH_REPLICAS_AFTER_APPEND:
                return true;
            default:
                return false;
        }
    }

    /** Exponential backoff from retry.backoff.ms to retry.backoff.max.ms with +-20% jitter. */
    private long backoffMs(int attempts) {
        final long base = config.retryBackoffMs();
        final long max = config.retryBackoffMaxMs();
        final double exp = base * Math.pow(2, Math.max(0, attempts - 1));
        final double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return (long) Math.min(max, exp * jitter);
    }

    private void complete(ProducerBatch b, long baseOffset, long logAppendTime) {
        stats.recordSuccess(b);
        b.complete(baseOffset, logAppendTime);
        accumulator.release(b);
    }

    private void finish(ProducerBatch b, RuntimeException e) {
        stats.recordError(b.recordCount());
        b.fail(e);
        accumulator.release(b);
    }
}

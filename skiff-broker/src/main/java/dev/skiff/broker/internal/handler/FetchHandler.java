package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.cluster.Partition;
import dev.skiff.broker.internal.cluster.Topic;
import dev.skiff.broker.internal.fetch.FetchContext;
import dev.skiff.broker.internal.fetch.FetchKey;
import dev.skiff.broker.internal.fetch.FetchSessionCache;
import dev.skiff.broker.internal.fetch.FetchSessions;
import dev.skiff.broker.internal.fetch.SessionPartition;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.Uuids;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.FetchRequestData;
import dev.skiff.protocol.message.FetchResponseData;
import dev.skiff.protocol.record.MemoryRecords;
import dev.skiff.storage.FileRecords;
import dev.skiff.storage.OffsetOutOfRangeException;
import dev.skiff.storage.PartitionLog;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fetch (key 1), versions 4-18.
 *
 * <p>Records are whole batches straight from the segment files: the response carries file regions
 * that the network layer sends with zero copies. A fetch starting inside a batch gets that whole
 * batch; the first partition with data always gets at least one batch even above the byte limits
 * (KIP-74). When less than {@code min.bytes} is available the request waits, up to
 * {@code max.wait.ms}, for appends to any of its partitions (long poll), on its connection's event
 * loop, without holding a thread.
 *
 * <p>Incremental fetch sessions (KIP-227, v7+) are served from a {@link FetchSessionCache} of
 * {@code max.incremental.fetch.session.cache.slots} sessions: a full fetch with epoch 0 creates one, and
 * later requests name only the partitions whose position changed while responses carry only partitions
 * with records, an error, or a new high watermark, last stable offset or log start offset. See
 * {@link FetchSessions} for the epoch rules and errors. Long polling watches the session's partitions.
 *
 * <p>Why sessions matter beyond bandwidth: kafka-clients checks every full response against the partitions
 * of its current request, and a response to a fetch still in flight when the consumer rebuilds its request
 * (it closes its session on {@code close()}) is checked against the new one. A sessionless broker lists every
 * partition in every answer, so that check fails ("invalid full fetch response with extraIds/extraPartitions");
 * an incremental answer lists only what changed, usually nothing.
 *
 * <p>This node is the only replica, so high watermark, last stable offset and log end offset coincide.
 */
public final class FetchHandler extends VersionedHandler {
    private final BrokerState state;
    private final FetchSessions sessions;

    public FetchHandler(BrokerState state) {
        this(state, FetchSessionCache.create(state.config().maxIncrementalFetchSessionCacheSlots()));
    }

    /** With an explicit session cache (tests). */
    public FetchHandler(BrokerState state, FetchSessionCache cache) {
        super(ApiKeys.FETCH, 4, 18);
        this.state = state;
        this.sessions = new FetchSessions(cache);
    }

    @Override
    public void handle(RequestContext request) {
        final FetchRequestData body = (FetchRequestData) request.body();
        final FetchContext context = sessions.open(body, request.version(), state.clock().millis());
        if (context.error() != Errors.NONE) {
            request.respond(new FetchResponseData()
                    .setErrorCode(context.error().code())
                    .setSessionId(0));
            return;
        }
        new DelayedFetch(request, body, context).start();
    }

    /** One fetch, answered now or when enough data arrived or its wait ran out. */
    private final class DelayedFetch implements Runnable {
        private final RequestContext request;
        private final FetchRequestData body;
        private final FetchContext context;
        private final List<Partition> watched = new ArrayList<>();
        private ScheduledFuture<?> timeout;
        private boolean completed;
        private boolean wakeupScheduled;

        DelayedFetch(RequestContext request, FetchRequestData body, FetchContext context) {
            this.request = request;
            this.body = body;
            this.context = context;
        }

        void start() {
            final Attempt attempt = read();
            if (attempt.satisfied || body.maxWaitMs() <= 0) {
                finish(attempt);
                return;
            }
            synchronized (context.lock()) {
                for (SessionPartition p : context.partitions()) {
                    final Topic topic = topicOf(p.key());
                    final Partition partition = topic == null ? null : topic.partition(p.key().partition());
                    if (partition != null) {
                        partition.addDataListener(this);
                        watched.add(partition);
                    }
                }
            }
            timeout = request.executor().schedule(() -> {
                if (!completed) {
                    finish(read());
                }
            }, body.maxWaitMs(), TimeUnit.MILLISECONDS);
        }

        /** Data listener: runs on the appending thread; re-checks on this connection's event loop. */
        @Override
        public void run() {
            synchronized (this) {
                if (wakeupScheduled) {
                    return;
                }
                wakeupScheduled = true;
            }
            request.executor().execute(this::recheck);
        }

        private void recheck() {
            synchronized (this) {
                wakeupScheduled = false;
            }
            if (completed) {
                return;
            }
            if (!request.isConnectionOpen()) {
                completed = true;
                cleanup();
                return;
            }
            final Attempt attempt = read();
            if (attempt.satisfied) {
                finish(attempt);
            }
        }

        private void finish(Attempt attempt) {
            completed = true;
            cleanup();
            // Only the answer that leaves is remembered by the session: earlier attempts were discarded.
            for (int i = 0; i < attempt.sent.size(); i++) {
                final FetchResponseData.PartitionData pd = attempt.data.get(i);
                context.sent(attempt.sent.get(i), pd.errorCode(), pd.records().sizeInBytes(), pd.highWatermark(),
                        pd.lastStableOffset(), pd.logStartOffset());
            }
            request.respond(attempt.response);
        }

        private void cleanup() {
            for (Partition p : watched) {
                p.removeDataListener(this);
            }
            watched.clear();
            if (timeout != null) {
                timeout.cancel(false);
            }
        }

        private Topic topicOf(FetchKey key) {
            return key.topicId() != null ? state.topics().topic(key.topicId()) : state.topics().topic(key.topic());
        }

        private Attempt read() {
            final FetchResponseData response = new FetchResponseData()
                    .setErrorCode(Errors.NONE.code())
                    .setSessionId(context.sessionId());
            final Attempt attempt = new Attempt(response);
            int remaining = body.maxBytes() <= 0 ? Integer.MAX_VALUE : body.maxBytes();
            long bytes = 0;
            boolean anyError = false;
            boolean first = true;
            FetchKey topicKey = null;
            FetchResponseData.FetchableTopicResponse tr = null;
            synchronized (context.lock()) {
                for (SessionPartition p : context.partitions()) {
                    final FetchKey key = p.key();
                    final Topic topic = topicOf(key);
                    final FetchResponseData.PartitionData pd = new FetchResponseData.PartitionData()
                            .setPartitionIndex(key.partition())
                            .setHighWatermark(-1)
                            .setLastStableOffset(-1)
                            .setLogStartOffset(-1)
                            .setAbortedTransactions(null)
                            .setPreferredReadReplica(-1)
                            .setRecords(MemoryRecords.EMPTY);
                    final Partition partition = topic == null ? null : topic.partition(key.partition());
                    int size = 0;
                    if (partition == null) {
                        pd.setErrorCode((topic == null && context.usesTopicIds() ? Errors.UNKNOWN_TOPIC_ID
                                : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
                        anyError = true;
                    } else if (p.currentLeaderEpoch() > 0) {
                        pd.setErrorCode(Errors.UNKNOWN_LEADER_EPOCH.code());
                        anyError = true;
                    } else {
                        final PartitionLog log = partition.log();
                        final long leo = log.logEndOffset();
                        pd.setHighWatermark(leo).setLastStableOffset(leo).setLogStartOffset(log.logStartOffset());
                        try {
                            final int limit = Math.min(p.maxBytes(), remaining);
                            if (limit > 0 || first) {
                                final FileRecords records = log.read(p.fetchOffset(), Math.max(limit, 1));
                                final int available = records.sizeInBytes();
                                if (available > 0 && (first || available <= limit)) {
                                    pd.setRecords(records);
                                    size = available;
                                    remaining -= Math.min(remaining, size);
                                    bytes += size;
                                    first = false;
                                }
                            }
                            pd.setErrorCode(Errors.NONE.code());
                        } catch (OffsetOutOfRangeException e) {
                            pd.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
                            anyError = true;
                        }
                    }
                    if (!context.mustSend(p, pd.errorCode(), size, pd.highWatermark(), pd.lastStableOffset(),
                            pd.logStartOffset())) {
                        continue;
                    }
                    if (tr == null || !key.sameTopic(topicKey)) {
                        tr = new FetchResponseData.FetchableTopicResponse()
                                .setTopic(key.topic() != null ? key.topic() : "")
                                .setTopicId(key.topicId() != null ? key.topicId() : Uuids.ZERO);
                        response.responses().add(tr);
                        topicKey = key;
                    }
                    tr.partitions().add(pd);
                    attempt.sent.add(p);
                    attempt.data.add(pd);
                }
            }
            attempt.satisfied = anyError || bytes >= Math.max(1, body.minBytes());
            return attempt;
        }
    }

    /** One reading of the fetch's partitions: the response it would give and what that response carries. */
    private static final class Attempt {
        final FetchResponseData response;
        final List<SessionPartition> sent = new ArrayList<>();
        final List<FetchResponseData.PartitionData> data = new ArrayList<>();
        boolean satisfied;

        Attempt(FetchResponseData response) {
            this.response = response;
        }
    }
}

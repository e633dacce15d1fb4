package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.cluster.Partition;
import dev.skiff.broker.internal.cluster.Topic;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
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
 * <p>Fetch sessions (KIP-227) are not created: every answer has session id 0, which tells clients
 * to keep sending full fetch requests. A request naming a session gets FETCH_SESSION_ID_NOT_FOUND.
 * This node is the only replica, so high watermark, last stable offset and log end offset coincide.
 */
public final class FetchHandler extends VersionedHandler {
    private final BrokerState state;

    public FetchHandler(BrokerState state) {
        super(ApiKeys.FETCH, 4, 18);
        this.state = state;
    }

    @Override
    public void handle(RequestContext request) {
        final FetchRequestData body = (FetchRequestData) request.body();
        if (request.version() >= 7 && body.sessionId() != 0) {
            request.respond(new FetchResponseData()
                    .setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code())
                    .setSessionId(0));
            return;
        }
        new DelayedFetch(request, body).start();
    }

    /** One fetch, answered now or when enough data arrived or its wait ran out. */
    private final class DelayedFetch implements Runnable {
        private final RequestContext request;
        private final FetchRequestData body;
        private final List<Partition> watched = new ArrayList<>();
        private ScheduledFuture<?> timeout;
        private boolean completed;
        private boolean wakeupScheduled;

        DelayedFetch(RequestContext request, FetchRequestData body) {
            this.request = request;
            this.body = body;
        }

        void start() {
            final Attempt attempt = read();
            if (attempt.satisfied || body.maxWaitMs() <= 0) {
                finish(attempt.response);
                return;
            }
            for (FetchRequestData.FetchTopic t : body.topics()) {
                final Topic topic = topicOf(t);
                if (topic == null) {
                    continue;
                }
                for (FetchRequestData.FetchPartition p : t.partitions()) {
                    final Partition partition = topic.partition(p.partition());
                    if (partition != null) {
                        partition.addDataListener(this);
                        watched.add(partition);
                    }
                }
            }
            timeout = request.executor().schedule(() -> {
                if (!completed) {
                    finish(read().response);
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
                finish(attempt.response);
            }
        }

        private void finish(FetchResponseData response) {
            completed = true;
            cleanup();
            request.respond(response);
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

        private Topic topicOf(FetchRequestData.FetchTopic t) {
            return request.version() >= 13 ? state.topics().topic(t.topicId()) : state.topics().topic(t.topic());
        }

        private Attempt read() {
            final short version = request.version();
            final FetchResponseData response = new FetchResponseData()
                    .setErrorCode(Errors.NONE.code())
                    .setSessionId(0);
            int remaining = body.maxBytes() <= 0 ? Integer.MAX_VALUE : body.maxBytes();
            long bytes = 0;
            boolean anyError = false;
            boolean first = true;
            for (FetchRequestData.FetchTopic t : body.topics()) {
                final Topic topic = topicOf(t);
                final FetchResponseData.FetchableTopicResponse tr = new FetchResponseData.FetchableTopicResponse()
                        .setTopic(t.topic())
                        .setTopicId(t.topicId());
                for (FetchRequestData.FetchPartition p : t.partitions()) {
                    final FetchResponseData.PartitionData pd = new FetchResponseData.PartitionData()
                            .setPartitionIndex(p.partition())
                            .setHighWatermark(-1)
                            .setLastStableOffset(-1)
                            .setLogStartOffset(-1)
                            .setAbortedTransactions(null)
                            .setPreferredReadReplica(-1)
                            .setRecords(MemoryRecords.EMPTY);
                    final Partition partition = topic == null ? null : topic.partition(p.partition());
                    if (partition == null) {
                        pd.setErrorCode((topic == null && version >= 13 ? Errors.UNKNOWN_TOPIC_ID
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
                            final int limit = Math.min(p.partitionMaxBytes(), remaining);
                            if (limit > 0 || first) {
                                final FileRecords records = log.read(p.fetchOffset(), Math.max(limit, 1));
                                final int size = records.sizeInBytes();
                                if (size > 0 && (first || size <= limit)) {
                                    pd.setRecords(records);
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
                    tr.partitions().add(pd);
                }
                response.responses().add(tr);
            }
            return new Attempt(response, anyError || bytes >= Math.max(1, body.minBytes()));
        }
    }

    private static final class Attempt {
        final FetchResponseData response;
        final boolean satisfied;

        Attempt(FetchResponseData response, boolean satisfied) {
            this.response = response;
            this.satisfied = satisfied;
        }
    }
}

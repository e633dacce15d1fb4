package dev.skiff.client.consumer.internal;

import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.ConsumerConfig;
import dev.skiff.client.consumer.ConsumerException;
import dev.skiff.client.internal.ApiVersions;
import dev.skiff.client.internal.Node;
import dev.skiff.client.internal.ResponseHandler;
import dev.skiff.client.internal.SyncClient;
import dev.skiff.client.internal.TopicInfo;
import dev.skiff.protocol.ApiMessage;
import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.Uuids;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.FetchRequestData;
import dev.skiff.protocol.message.FetchResponseData;
import dev.skiff.protocol.record.MemoryRecords;
import dev.skiff.protocol.record.RecordReader;
import dev.skiff.protocol.record.Records;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Fetch requests to the leaders of assigned partitions and turns the answers into
 * {@link CompletedFetch}es that the consumer drains as it polls.
 *
 * <p>Design note: at most one fetch is in flight per broker, covering every fetchable partition it
 * leads, and none for a partition whose earlier data is still buffered, so memory stays bounded by
 * fetch.max.bytes per broker. The broker holds a fetch up to fetch.max.wait.ms until fetch.min.bytes
 * arrive (long poll). Requests carry no fetch session (epoch -1: full fetches), which every broker
 * accepts. The highest Fetch version both sides speak is used; from v13 topics are named by id, so
 * when metadata gave no id the version stays at 12. Partitions that returned data move to the end of
 * the order, so a partition cut off by the response size limit comes first next time.
 *
 * <p>Errors are recorded, not thrown, since they arrive inside network callbacks: leader changes and
 * lost connections ask for a metadata refresh; an offset out of range is reset by the consumer
 * according to auto.offset.reset; anything else becomes the {@linkplain #takeError() pending error}.
 */
public final class Fetcher {
    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
    private static final short FETCH_MIN = 4;
    private static final short LAST_VERSION_WITH_NAMES = 12;

    private final ConsumerConfig config;
    private final SyncClient client;
    private final LinkedHashMap<TopicPartition, PartitionState> assignment;
    private final boolean readCommitted;
    private final RecordReader reader = new RecordReader();
    private final ArrayDeque<CompletedFetch> completed = new ArrayDeque<>();
    private final Set<Integer> fetchingNodes = new HashSet<>();
    private final Map<PartitionState, Long> outOfRange = new LinkedHashMap<>();
    private CompletedFetch inLine;
    private ConsumerException error;
    private boolean metadataNeeded;

    /** @param assignment the consumer's assigned partitions; the fetcher reorders it for fairness */
    public Fetcher(ConsumerConfig config, SyncClient client, LinkedHashMap<TopicPartition, PartitionState> assignment) {
        this.config = config;
        this.client = client;
        this.assignment = assignment;
        this.readCommitted = "read_committed".equals(config.isolationLevel());
    }

    /** Whether buffered records, an error or an out-of-range offset wait for the consumer. */
    public boolean hasEvents() {
        return (inLine != null && !inLine.isDone()) || !completed.isEmpty() || error != null
                || !outOfRange.isEmpty();
    }

    /** Whether an answer suggested that leaders moved; clears the flag. */
    public boolean takeMetadataNeeded() {
        final boolean needed = metadataNeeded;
        metadataNeeded = false;
        return needed;
    }

    /** The first non-retriable error an answer carried, or null; clears it. */
    public ConsumerException takeError() {
        final ConsumerException e = error;
        error = null;
        return e;
    }

    /** Partitions whose fetch offset was out of range, with that offset; cleared. */
    public Map<PartitionState, Long> takeOutOfRange() {
        final Map<PartitionState, Long> copy = new LinkedHashMap<>(outOfRange);
        outOfRange.clear();
        return copy;
    }

    /** Sends a fetch to each leader that has fetchable partitions and no fetch in flight. */
    public void sendFetches() {
        final Map<Node, List<PartitionState>> byNode = new LinkedHashMap<>();
        for (PartitionState state : assignment.values()) {
            if (state.position < 0 || state.fetching || isBuffered(state)) {
                continue;
            }
            final TopicInfo info = client.metadata().topic(state.tp.topic());
            final int leader = info == null ? -1 : info.leader(state.tp.partition());
            final Node node = leader < 0 ? null : client.metadata().node(leader);
            if (node == null) {
                metadataNeeded = true;
                continue;
            }
            if (!fetchingNodes.contains(node.id())) {
                byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(state);
            }
        }
        for (Map.Entry<Node, List<PartitionState>> e : byNode.entrySet()) {
            final Node node = e.getKey();
            if (!client.connect(node)) {
                if (client.connectFailures(node) > 0) {
                    metadataNeeded = true;
                }
                continue;
            }
            send(node, e.getValue());
        }
    }

    private boolean isBuffered(PartitionState state) {
        if (inLine != null && inLine.state == state && !inLine.isDone()) {
            return true;
        }
        for (CompletedFetch f : completed) {
            if (f.state == state) {
                return true;
            }
        }
        return false;
    }

    private void send(Node node, List<PartitionState> states) {
        boolean allIds = true;
        for (PartitionState s : states) {
            final UUID id = client.metadata().topic(s.tp.topic()).topicId();
            allIds &= id != null && !Uuids.ZERO.equals(id);
        }
        final short max = allIds ? ApiVersions.clientMax(ApiKeys.FETCH) : LAST_VERSION_WITH_NAMES;
        final short version = client.version(node, ApiKeys.FETCH, FETCH_MIN, max);
        final Map<String, FetchRequestData.FetchTopic> topics = new LinkedHashMap<>();
        final Map<UUID, String> names = new HashMap<>();
        final Map<TopicPartition, Sent> sent = new HashMap<>();
        for (PartitionState s : states) {
            final UUID id = client.metadata().topic(s.tp.topic()).topicId();
            names.put(id, s.tp.topic());
            topics.computeIfAbsent(s.tp.topic(), t -> new FetchRequestData.FetchTopic()
                    .setTopic(t).setTopicId(id == null ? Uuids.ZERO : id).setPartitions(new ArrayList<>()))
                    .partitions().add(new FetchRequestData.FetchPartition()
                            .setPartition(s.tp.partition())
                            .setCurrentLeaderEpoch(-1)
                            .setFetchOffset(s.position)
                            .setLastFetchedEpoch(-1)
                            .setLogStartOffset(-1)
                            .setPartitionMaxBytes(config.maxPartitionFetchBytes()));
            sent.put(s.tp, new Sent(s, s.position, s.epoch));
            s.fetching = true;
        }
        final FetchRequestData request = new FetchRequestData()
                .setMaxWaitMs(config.fetchMaxWaitMs())
                .setMinBytes(config.fetchMinBytes())
                .setMaxBytes(config.fetchMaxBytes())
                .setIsolationLevel((byte) (readCommitted ? 1 : 0))
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(new ArrayList<>(topics.values()))
                .setForgottenTopicsData(new ArrayList<>())
                .setRackId("");
        fetchingNodes.add(node.id());
        client.send(node, request, version, new ResponseHandler() {
            @Override
            public void onResponse(ApiMessage response, long latencyNanos) {
                finish(node, sent);
                handle((FetchResponseData) response, version, names, sent);
            }

            @Override
            public void onFailure(Exception cause, boolean timedOut) {
                finish(node, sent);
                LOG.debug("Fetch from {} failed: {}", node, cause.getMessage());
                metadataNeeded = true;
            }
        });
    }

    /** What a fetch asked for one partition. */
    private record Sent(PartitionState state, long offset, int epoch) {
    }

    private void finish(Node node, Map<TopicPartition, Sent> sent) {
        fetchingNodes.remove(node.id());
        for (Sent s : sent.values()) {
            s.state().fetching = false;
        }
    }

    private void handle(FetchResponseData response, short version, Map<UUID, String> names,
                        Map<TopicPartition, Sent> sent) {
        final Errors top = Errors.forCode(response.errorCode());
        if (top != Errors.NONE) {
            LOG.debug("Fetch answered {}", top);
            metadataNeeded = true;
            return;
        }
        for (FetchResponseData.FetchableTopicResponse t : response.responses()) {
            final String topic = version > LAST_VERSION_WITH_NAMES ? names.get(t.topicId()) : t.topic();
            if (topic == null) {
                continue;
            }
            for (FetchResponseData.PartitionData p : t.partitions()) {
                final TopicPartition tp = new TopicPartition(topic, p.partitionIndex());
                final Sent s = sent.get(tp);
                if (s == null || assignment.get(tp) != s.state() || s.state().epoch != s.epoch()
                        || s.state().position != s.offset()) {
                    continue;
                }
                handlePartition(s, p);
            }
        }
    }

    private void handlePartition(Sent s, FetchResponseData.PartitionData p) {
        final PartitionState state = s.state();
        final Errors error = Errors.forCode(p.errorCode());
        switch (error) {
            case NONE: {
                state.end = readCommitted && p.lastStableOffset() >= 0 ? p.lastStableOffset() : p.highWatermark();
                final Records records = p.records();
                if (records instanceof MemoryRecords && records.sizeInBytes() > 0) {
                    completed.add(new CompletedFetch(state, s.offset(), ((MemoryRecords) records).buffer(), reader,
                            config.checkCrcs(), readCommitted, p.abortedTransactions()));
                    // Fairness: a partition that got data goes to the back of the next request.
                    assignment.remove(state.tp);
                    assignment.put(state.tp, state);
                }
                break;
            }
            case OFFSET_OUT_OF_RANGE:
                outOfRange.put(state, s.offset());
                break;
            case NOT_LEADER_OR_FOLLOWER:
            case LEADER_NOT_AVAILABLE:
            case FENCED_LEADER_EPOCH:
            case UNKNOWN_LEADER_EPOCH:
            case REPLICA_NOT_AVAILABLE:
            case KAFKA_STORAGE_ERROR:
            case UNKNOWN_TOPIC_OR_PARTITION:
            case UNKNOWN_TOPIC_ID:
            case INCONSISTENT_TOPIC_ID:
            case OFFSET_NOT_AVAILABLE:
                metadataNeeded = true;
                break;
            case TOPIC_AUTHORIZATION_FAILED:
                this.error = new ConsumerException("Not authorized to read topic '" + state.tp.topic()
                        + "': grant this principal READ on it", error);
                break;
            default:
                if (error.isRetriable()) {
                    metadataNeeded = true;
                } else if (this.error == null) {
                    this.error = new ConsumerException("Fetching " + state.tp + " at offset " + s.offset()
                            + " failed with " + error + ": " + error.message(), error);
                }
        }
    }

    /**
     * Hands buffered records to {@code sink}, at most {@code max}.
     *
     * @return records handed over
     * @throws ConsumerException when a batch is corrupt
     */
    int drain(int max, CompletedFetch.Sink sink) {
        int count = 0;
        while (count < max) {
            if (inLine == null || inLine.isDone()) {
                inLine = completed.poll();
                if (inLine == null) {
                    break;
                }
                if (inLine.isStale() || assignment.get(inLine.state.tp) != inLine.state
                        || inLine.state.position != inLine.fetchOffset) {
                    inLine = null;
                    continue;
                }
            }
            if (inLine.isStale()) {
                inLine = null;
                continue;
            }
            try {
                count += inLine.drain(max - count, sink);
                if (inLine.isStopped()) {
                    inLine = null;
                    break;
                }
            } catch (DecodeException e) {
                final TopicPartition tp = inLine.state.tp;
                final long at = inLine.state.position;
                inLine = null;
                throw new ConsumerException("Malformed record data in " + tp + " at or after offset " + at + ": "
                        + e.getMessage() + "; seek past it to skip it", Errors.CORRUPT_MESSAGE, e);
            }
        }
        return count;
    }
}

package dev.skiff.client.internal;

import dev.skiff.client.TopicPartition;
import dev.skiff.protocol.ApiMessage;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.ListOffsetsRequestData;
import dev.skiff.protocol.message.ListOffsetsResponseData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds offsets by timestamp with ListOffsets, asking each partition's leader: the earliest
 * ({@link #EARLIEST}), the latest ({@link #LATEST}) or the first offset at or after a time.
 *
 * <p>One request goes to each leader at once. Partitions whose leader moved or is unknown are retried
 * after a metadata refresh until the deadline; other errors are returned per partition, not thrown, so
 * the caller words them for its own users.
 */
public final class OffsetLookup {
    /** Query for the log end offset (or last stable offset under read_committed). */
    public static final long LATEST = -1L;
    /** Query for the log start offset. */
    public static final long EARLIEST = -2L;
    private static final long RETRY_BACKOFF_MS = 100;

    /**
     * What the leader answered for one partition.
     *
     * @param offset    the offset, -1 when no record has such a timestamp
     * @param timestamp the record's timestamp for time queries, else -1
     * @param error     NONE, or why the partition has no answer
     */
    public record Result(long offset, long timestamp, Errors error) {
    }

    private final SyncClient client;

    public OffsetLookup(SyncClient client) {
        this.client = client;
    }

    /**
     * @param queries        each partition's timestamp query
     * @param isolationLevel 0 read_uncommitted, 1 read_committed
     * @return a result for every queried partition
     * @throws ClientRequestException when leaders did not answer before the deadline
     */
    public Map<TopicPartition, Result> lookup(Map<TopicPartition, Long> queries, byte isolationLevel,
                                              long deadlineNanos) {
        final Map<TopicPartition, Result> results = new HashMap<>();
        final Map<TopicPartition, Long> remaining = new LinkedHashMap<>(queries);
        boolean refresh = false;
        String lastProblem = null;
        while (true) {
            final Set<String> topics = new LinkedHashSet<>();
            for (TopicPartition tp : remaining.keySet()) {
                topics.add(tp.topic());
                refresh |= client.metadata().topic(tp.topic()) == null;
            }
            if (refresh) {
                client.fetchMetadata(topics, deadlineNanos);
                refresh = false;
            }
            final Map<Node, Map<TopicPartition, Long>> byLeader = new LinkedHashMap<>();
            for (Map.Entry<TopicPartition, Long> e : new ArrayList<>(remaining.entrySet())) {
                final TopicPartition tp = e.getKey();
                final TopicInfo info = client.metadata().topic(tp.topic());
                if (info == null) {
                    refresh = true;
                    lastProblem = "no metadata for topic " + tp.topic();
                } else if (info.error() != Errors.NONE && info.error() != Errors.LEADER_NOT_AVAILABLE) {
                    // A fresh answer that the topic is unknown or invalid is final: say so rather than wait.
                    results.put(tp, new Result(-1, -1, info.error()));
                    remaining.remove(tp);
                } else if (info.error() == Errors.NONE && tp.partition() >= info.partitionCount()) {
                    results.put(tp, new Result(-1, -1, Errors.UNKNOWN_TOPIC_OR_PARTITION));
                    remaining.remove(tp);
                } else {
                    final int leader = info.leader(tp.partition());
                    final Node node = leader < 0 ? null : client.metadata().node(leader);
                    if (node == null) {
                        refresh = true;
                        lastProblem = tp + " has no leader";
                    } else {
                        byLeader.computeIfAbsent(node, n -> new LinkedHashMap<>()).put(tp, e.getValue());
                    }
                }
            }
            final Map<Node, SyncClient.Pending> sent = new LinkedHashMap<>();
            for (Map.Entry<Node, Map<TopicPartition, Long>> e : byLeader.entrySet()) {
                final Node node = client.readyNode(e.getKey(), deadlineNanos);
                final short version = client.version(node, ApiKeys.LIST_OFFSETS, (short) 1);
                sent.put(node, client.sendAsync(node, request(e.getValue(), isolationLevel, version), version));
            }
            client.pollUntil(() -> sent.values().stream().allMatch(SyncClient.Pending::isDone), deadlineNanos);
            for (Map.Entry<Node, SyncClient.Pending> e : sent.entrySet()) {
                final SyncClient.Pending pending = e.getValue();
                if (!pending.isDone() || pending.failure() != null) {
                    refresh = true;
                    lastProblem = pending.failure() == null ? "no answer from " + e.getKey()
                            : pending.failure().getMessage();
                    continue;
                }
                final ApiMessage answer = pending.response();
                for (ListOffsetsResponseData.ListOffsetsTopicResponse t : ((ListOffsetsResponseData) answer).topics()) {
                    for (ListOffsetsResponseData.ListOffsetsPartitionResponse p : t.partitions()) {
                        final TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                        if (!remaining.containsKey(tp)) {
                            continue;
                        }
                        final Errors error = Errors.forCode(p.errorCode());
                        if (error == Errors.NONE) {
                            results.put(tp, new Result(p.offset(), p.timestamp(), Errors.NONE));
                            remaining.remove(tp);
                        } else if (error.isRetriable() || error == Errors.OFFSET_NOT_AVAILABLE) {
                            refresh = true;
                            lastProblem = tp + ": " + error;
                        } else {
                            results.put(tp, new Result(-1, -1, error));
                            remaining.remove(tp);
                        }
                    }
                }
            }
            if (remaining.isEmpty()) {
                return results;
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                throw new ClientRequestException(ClientRequestException.Reason.TIMEOUT, Errors.REQUEST_TIMED_OUT,
                        "ListOffsets for " + remaining.keySet() + " got no answer in time" + (lastProblem == null ? ""
                                : " (last problem: " + lastProblem + ")"), null);
            }
            final long pause = Math.min(deadlineNanos, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                    RETRY_BACKOFF_MS));
            client.pollUntil(() -> false, pause);
        }
    }

    private static ListOffsetsRequestData request(Map<TopicPartition, Long> queries, byte isolationLevel,
                                                  short version) {
        final Map<String, List<ListOffsetsRequestData.ListOffsetsPartition>> byTopic = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Long> e : queries.entrySet()) {
            byTopic.computeIfAbsent(e.getKey().topic(), t -> new ArrayList<>())
                    .add(new ListOffsetsRequestData.ListOffsetsPartition()
                            .setPartitionIndex(e.getKey().partition())
                            .setCurrentLeaderEpoch(-1)
                            .setTimestamp(e.getValue()));
        }
        final List<ListOffsetsRequestData.ListOffsetsTopic> topics = new ArrayList<>();
        byTopic.forEach((name, partitions) -> topics.add(new ListOffsetsRequestData.ListOffsetsTopic()
                .setName(name).setPartitions(partitions)));
        final ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setTopics(topics);
        if (version >= 2) {
            request.setIsolationLevel(isolationLevel);
        }
        return request;
    }
}

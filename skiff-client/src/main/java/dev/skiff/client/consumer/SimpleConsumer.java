package dev.skiff.client.consumer;

import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.internal.Fetcher;
import dev.skiff.client.consumer.internal.PartitionState;
import dev.skiff.client.consumer.internal.RecordDecoder;
import dev.skiff.client.internal.ClientRequestException;
import dev.skiff.client.internal.ConfigKeys;
import dev.skiff.client.internal.OffsetLookup;
import dev.skiff.client.internal.SyncClient;
import dev.skiff.client.internal.TopicInfo;
import dev.skiff.client.producer.ConfigException;
import dev.skiff.protocol.Errors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads records from partitions the application assigns, on Skiff or any Kafka broker: no consumer
 * group, no committed offsets. The application chooses where to start (seek, seekToBeginning,
 * seekToEnd, seekToTimestamp, or auto.offset.reset) and polls.
 *
 * <pre>{@code
 * try (SimpleConsumer<String, String> consumer = SimpleConsumer.create(config,
 *         new StringDeserializer(), new StringDeserializer())) {
 *     List<TopicPartition> tps = new ArrayList<>();
 *     for (int p : consumer.partitionsFor("orders")) {
 *         tps.add(new TopicPartition("orders", p));
 *     }
 *     consumer.assign(tps);
 *     consumer.seekToBeginning(tps);
 *     while (!tps.stream().allMatch(consumer::reachedEnd)) {
 *         for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #poll} fetches from every leader at once, returns buffered records while the next fetches
 * are already on their way, and waits on the broker (long poll) when there is nothing new. Leader
 * changes and lost connections are ridden out with metadata refreshes; an offset out of range follows
 * auto.offset.reset ({@code none} makes poll throw, naming the partition, the offset and the valid range).
 *
 * <p>Not thread-safe: use one thread, except for {@link #wakeup()}, which any thread may call to make a
 * blocked poll return at once (an empty list) and any other blocked call throw.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class SimpleConsumer<K, V> implements AutoCloseable {
    /** Least time poll gives to a metadata or offset lookup, so poll(0) can still make progress. */
    private static final long MIN_LOOKUP_MS = 1000;

    private final ConsumerConfig config;
    private final SyncClient client;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final LinkedHashMap<TopicPartition, PartitionState> assignment = new LinkedHashMap<>();
    private final Fetcher fetcher;
    private final RecordDecoder<K, V> decoder;
    private final OffsetLookup lookup;
    private final byte isolationLevel;
    private boolean metadataNeeded = true;
    private long nextMetadataNanos;
    private boolean closed;

    private SimpleConsumer(ConsumerConfig config, Deserializer<K> keys, Deserializer<V> values) {
        this.config = config;
        this.keyDeserializer = keys;
        this.valueDeserializer = values;
        this.client = new SyncClient(config.bootstrapServers(), config.clientId(), config.requestTimeoutMs(),
                config.reconnectBackoffMs(), config.reconnectBackoffMaxMs(), config.metadataMaxAgeMs());
        this.fetcher = new Fetcher(config, client, assignment);
        this.decoder = new RecordDecoder<>(keys, values);
        this.lookup = new OffsetLookup(client);
        this.isolationLevel = (byte) ("read_committed".equals(config.isolationLevel()) ? 1 : 0);
    }

    /**
     * A consumer; a null deserializer is taken from key.deserializer / value.deserializer.
     *
     * @throws ConfigException when a deserializer is neither given nor configured, or cannot be created
     */
    public static <K, V> SimpleConsumer<K, V> create(ConsumerConfig config, Deserializer<K> keyDeserializer,
                                                     Deserializer<V> valueDeserializer) {
        Objects.requireNonNull(config, "config");
        final Deserializer<K> keys = deserializer(keyDeserializer, config.keyDeserializer(),
                ConsumerConfig.KEY_DESERIALIZER);
        final Deserializer<V> values = deserializer(valueDeserializer, config.valueDeserializer(),
                ConsumerConfig.VALUE_DESERIALIZER);
        keys.configure(config.originals(), true);
        values.configure(config.originals(), false);
        return new SimpleConsumer<>(config, keys, values);
    }

    @SuppressWarnings("unchecked")
    private static <T> Deserializer<T> deserializer(Deserializer<T> given, Object configured, String key) {
        if (given != null) {
            return given;
        }
        if (configured == null) {
            throw new ConfigException("Missing " + key + ": pass a Deserializer to SimpleConsumer.create or set "
                    + key + " to a class implementing " + Deserializer.class.getName());
        }
        return ConfigKeys.instance(key, configured, Deserializer.class);
    }

    /**
     * The partition indexes of {@code topic}, from fresh metadata.
     *
     * @throws ConsumerException with UNKNOWN_TOPIC_OR_PARTITION when the topic does not exist
     */
    public List<Integer> partitionsFor(String topic) {
        ensureOpen();
        Objects.requireNonNull(topic, "topic");
        return call(() -> {
            final long deadline = SyncClient.deadline(config.defaultApiTimeoutMs());
            while (true) {
                client.fetchMetadata(List.of(topic), deadline);
                final TopicInfo info = client.metadata().topic(topic);
                if (info != null && info.error() == Errors.NONE) {
                    final List<Integer> partitions = new ArrayList<>();
                    for (int p = 0; p < info.partitionCount(); p++) {
                        partitions.add(p);
                    }
                    return List.copyOf(partitions);
                }
                final Errors error = info == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION : info.error();
                if (error != Errors.LEADER_NOT_AVAILABLE || System.nanoTime() - deadline >= 0) {
                    throw topicError(topic, error);
                }
                client.pollUntil(() -> false, SyncClient.deadline(config.retryBackoffMs()));
            }
        });
    }

    /**
     * Reads exactly these partitions from now on; positions of partitions kept from the previous
     * assignment stay, new ones start by auto.offset.reset unless sought.
     */
    public void assign(Collection<TopicPartition> partitions) {
        ensureOpen();
        final Map<TopicPartition, PartitionState> old = new HashMap<>(assignment);
        assignment.clear();
        final Set<String> topics = new LinkedHashSet<>();
        for (TopicPartition tp : partitions) {
            Objects.requireNonNull(tp, "partition");
            final PartitionState kept = old.get(tp);
            assignment.put(tp, kept != null ? kept : new PartitionState(tp));
            topics.add(tp.topic());
        }
        for (PartitionState s : old.values()) {
            if (!assignment.containsKey(s.tp)) {
                s.epoch++;
                client.untrack(s.tp.topic());
            }
        }
        topics.forEach(client::track);
        metadataNeeded = true;
    }

    /** The assigned partitions. */
    public Set<TopicPartition> assignment() {
        return Set.copyOf(assignment.keySet());
    }

    /** The next poll reads {@code tp} from {@code offset}. */
    public void seek(TopicPartition tp, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset + " for " + tp);
        }
        state(tp).seek(offset);
    }

    /** The next poll reads these partitions from their first offset (looked up lazily). */
    public void seekToBeginning(Collection<TopicPartition> tps) {
        for (TopicPartition tp : tps) {
            state(tp).requestReset(PartitionState.Reset.EARLIEST);
        }
    }

    /** The next poll reads only records written after the current end of these partitions. */
    public void seekToEnd(Collection<TopicPartition> tps) {
        for (TopicPartition tp : tps) {
            state(tp).requestReset(PartitionState.Reset.LATEST);
        }
    }

    /**
     * Moves each partition to its first record with a timestamp at or after {@code timestampMs}, or to its
     * end when there is none (ListOffsets by time).
     */
    public void seekToTimestamp(Collection<TopicPartition> tps, long timestampMs) {
        final Map<TopicPartition, Long> queries = new LinkedHashMap<>();
        for (TopicPartition tp : tps) {
            state(tp);
            queries.put(tp, timestampMs);
        }
        final Map<TopicPartition, OffsetLookup.Result> results = lookup(queries);
        for (Map.Entry<TopicPartition, OffsetLookup.Result> e : results.entrySet()) {
            final PartitionState s = state(e.getKey());
            if (e.getValue().offset() >= 0) {
                s.seek(e.getValue().offset());
            } else {
                s.requestReset(PartitionState.Reset.LATEST);
            }
        }
    }

    /** The offset of the next record poll returns for {@code tp}, looking it up if not yet known. */
    public long position(TopicPartition tp) {
        final PartitionState s = state(tp);
        if (s.position < 0) {
            call(() -> {
                resolvePositions(List.of(s), SyncClient.deadline(config.defaultApiTimeoutMs()));
                return null;
            });
        }
        return s.position;
    }

    /** The first offset of each partition (log start offset). */
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> tps) {
        return offsets(tps, OffsetLookup.EARLIEST);
    }

    /**
     * The end of each partition: the high watermark (the last stable offset under read_committed), i.e.
     * the offset the next record written will get.
     */
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> tps) {
        final Map<TopicPartition, Long> ends = offsets(tps, OffsetLookup.LATEST);
        ends.forEach((tp, end) -> {
            final PartitionState s = assignment.get(tp);
            if (s != null) {
                s.end = end;
            }
        });
        return ends;
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> tps, long query) {
        ensureOpen();
        final Map<TopicPartition, Long> queries = new LinkedHashMap<>();
        for (TopicPartition tp : tps) {
            queries.put(tp, query);
        }
        final Map<TopicPartition, Long> out = new LinkedHashMap<>();
        lookup(queries).forEach((tp, r) -> out.put(tp, r.offset()));
        return out;
    }

    /** Looks offsets up, turning per-partition errors into a ConsumerException. */
    private Map<TopicPartition, OffsetLookup.Result> lookup(Map<TopicPartition, Long> queries) {
        ensureOpen();
        final Map<TopicPartition, OffsetLookup.Result> results = call(() -> lookup.lookup(queries, isolationLevel,
                SyncClient.deadline(config.defaultApiTimeoutMs())));
        for (Map.Entry<TopicPartition, OffsetLookup.Result> e : results.entrySet()) {
            if (e.getValue().error() != Errors.NONE) {
                throw partitionError(e.getKey(), e.getValue().error());
            }
        }
        return results;
    }

    /**
     * Records fetched from the assigned partitions, at most max.poll.records; waits up to {@code timeout}
     * for some to arrive. Returns an empty list when the time is up or {@link #wakeup()} was called.
     *
     * @throws ConsumerException for an unknown topic or partition, an offset out of range with
     *                           auto.offset.reset=none, a record that cannot be deserialized, corrupt data, or
     *                           when no bootstrap broker can be reached
     * @throws IllegalStateException when no partition is assigned
     */
    public List<ConsumerRecord<K, V>> poll(Duration timeout) {
        ensureOpen();
        if (assignment.isEmpty()) {
            throw new IllegalStateException("No partitions are assigned: call assign() before poll()");
        }
        final long start = System.nanoTime();
        final long deadline = start + Math.max(0, timeout.toNanos());
        try {
            while (true) {
                throwPendingErrors();
                final long lookupDeadline = Math.max(deadline, SyncClient.deadline(MIN_LOOKUP_MS));
                maybeUpdateMetadata(lookupDeadline);
                resolvePositions(assignment.values(), lookupDeadline);
                final List<ConsumerRecord<K, V>> records = decoder.drain(fetcher, config.maxPollRecords());
                // Pipelining: the next fetches go out before the application processes these records.
                fetcher.sendFetches();
                if (!records.isEmpty()) {
                    return records;
                }
                final long now = System.nanoTime();
                if (now - deadline >= 0) {
                    return List.of();
                }
                // Short slices, so fetches to leaders that just became connectable go out promptly.
                client.pollUntil(fetcher::hasEvents, Math.min(deadline, now + TimeUnit.MILLISECONDS.toNanos(50)));
            }
        } catch (ClientRequestException e) {
            switch (e.reason()) {
                case WAKEUP:
                case TIMEOUT:
                case DISCONNECTED:
                    // Retried by the next poll; the caller sees no records this time.
                    return List.of();
                default:
                    throw new ConsumerException(e.getMessage(), e.error(), e);
            }
        }
    }

    /**
     * Whether the position of {@code tp} has reached the last known end of the partition (what a fetch
     * or {@link #endOffsets} last reported); false while either is unknown. For kcat's {@code -e}.
     */
    public boolean reachedEnd(TopicPartition tp) {
        return state(tp).reachedEnd();
    }

    /** Makes a blocked {@link #poll} return an empty list at once (or the next one, if none is blocked). */
    public void wakeup() {
        client.wakeup();
    }

    /** Closes connections and the deserializers. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            keyDeserializer.close();
            valueDeserializer.close();
        } finally {
            client.close();
        }
    }

    // ---- internals ----

    private PartitionState state(TopicPartition tp) {
        ensureOpen();
        final PartitionState s = assignment.get(Objects.requireNonNull(tp, "partition"));
        if (s == null) {
            throw new IllegalStateException("Partition " + tp + " is not assigned to this consumer; assigned: "
                    + assignment.keySet());
        }
        return s;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("This consumer is closed");
        }
    }

    private interface Call<T> {
        T run();
    }

    /** Runs a blocking call other than poll, turning client failures into ConsumerExceptions. */
    private <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (ClientRequestException e) {
            throw new ConsumerException(e.getMessage(), e.error(), e);
        }
    }

    private void throwPendingErrors() {
        final ConsumerException error = fetcher.takeError();
        if (error != null) {
            throw error;
        }
        for (Map.Entry<PartitionState, Long> e : fetcher.takeOutOfRange().entrySet()) {
            final PartitionState s = e.getKey();
            if (assignment.get(s.tp) != s || s.position != e.getValue()) {
                continue;
            }
            if (!"none".equals(config.autoOffsetReset())) {
                s.requestReset(null);
                continue;
            }
            throw outOfRange(s.tp, e.getValue());
        }
        metadataNeeded |= fetcher.takeMetadataNeeded();
    }

    private ConsumerException outOfRange(TopicPartition tp, long offset) {
        String range;
        try {
            final long deadline = SyncClient.deadline(config.requestTimeoutMs());
            final long first = lookup.lookup(Map.of(tp, OffsetLookup.EARLIEST), isolationLevel, deadline).get(tp)
                    .offset();
            final long end = lookup.lookup(Map.of(tp, OffsetLookup.LATEST), isolationLevel, deadline).get(tp)
                    .offset();
            range = first == end ? "the partition holds no records, next offset " + end
                    : "valid offsets are " + first + " to " + (end - 1);
        } catch (ClientRequestException e) {
            range = "the valid range could not be looked up: " + e.getMessage();
        }
        return new ConsumerException("Offset " + offset + " is out of range for partition " + tp + " (" + range
                + ") and auto.offset.reset=none: seek to a valid offset, or set auto.offset.reset to earliest or"
                + " latest", Errors.OFFSET_OUT_OF_RANGE);
    }

    private void maybeUpdateMetadata(long deadline) {
        final long now = System.nanoTime();
        boolean missing = false;
        for (TopicPartition tp : assignment.keySet()) {
            missing |= client.metadata().topic(tp.topic()) == null;
        }
        final boolean due = missing || ((metadataNeeded || client.metadata().updateDue(now))
                && now - nextMetadataNanos >= 0);
        if (!due) {
            return;
        }
        nextMetadataNanos = now + TimeUnit.MILLISECONDS.toNanos(config.retryBackoffMs());
        client.fetchMetadata(List.of(), deadline);
        metadataNeeded = false;
        for (TopicPartition tp : assignment.keySet()) {
            final TopicInfo info = client.metadata().topic(tp.topic());
            if (info == null) {
                metadataNeeded = true;
            } else if (info.error() == Errors.LEADER_NOT_AVAILABLE) {
                metadataNeeded = true;
            } else if (info.error() != Errors.NONE) {
                throw topicError(tp.topic(), info.error());
            } else if (tp.partition() >= info.partitionCount()) {
                throw partitionError(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            } else if (info.leader(tp.partition()) < 0) {
                metadataNeeded = true;
            }
        }
    }

    /** Looks up positions that are unknown, by the requested reset or auto.offset.reset. */
    private void resolvePositions(Collection<PartitionState> states, long deadline) {
        final Map<TopicPartition, Long> queries = new LinkedHashMap<>();
        for (PartitionState s : states) {
            if (s.position >= 0) {
                continue;
            }
            PartitionState.Reset how = s.reset;
            if (how == null) {
                switch (config.autoOffsetReset()) {
                    case "earliest":
                        how = PartitionState.Reset.EARLIEST;
                        break;
                    case "latest":
                        how = PartitionState.Reset.LATEST;
                        break;
                    default:
                        throw new ConsumerException("Partition " + s.tp + " has no position and auto.offset.reset="
                                + "none: seek first (seek, seekToBeginning, seekToEnd or seekToTimestamp)");
                }
            }
            queries.put(s.tp, how == PartitionState.Reset.EARLIEST ? OffsetLookup.EARLIEST : OffsetLookup.LATEST);
        }
        if (queries.isEmpty()) {
            return;
        }
        final Map<TopicPartition, Integer> epochs = new HashMap<>();
        queries.keySet().forEach(tp -> epochs.put(tp, assignment.get(tp).epoch));
        final Map<TopicPartition, OffsetLookup.Result> results = lookup.lookup(queries, isolationLevel, deadline);
        for (Map.Entry<TopicPartition, OffsetLookup.Result> e : results.entrySet()) {
            final PartitionState s = assignment.get(e.getKey());
            if (s == null || s.epoch != epochs.get(e.getKey()) || s.position >= 0) {
                continue;
            }
            final OffsetLookup.Result r = e.getValue();
            if (r.error() != Errors.NONE) {
                throw partitionError(e.getKey(), r.error());
            }
            final boolean latest = queries.get(e.getKey()) == OffsetLookup.LATEST;
            s.seek(r.offset());
            if (latest) {
                s.end = r.offset();
            }
        }
    }

    private static ConsumerException topicError(String topic, Errors error) {
        switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION:
            case UNKNOWN_TOPIC_ID:
                return new ConsumerException("Topic '" + topic + "' does not exist: check the name, or create the "
                        + "topic first", Errors.UNKNOWN_TOPIC_OR_PARTITION);
            case INVALID_TOPIC_EXCEPTION:
                return new ConsumerException("Topic name '" + topic + "' is invalid: use up to 249 letters, digits, "
                        + "'.', '_' or '-'", error);
            case TOPIC_AUTHORIZATION_FAILED:
                return new ConsumerException("Not authorized to read topic '" + topic + "': grant this principal "
                        + "READ and DESCRIBE on it", error);
            default:
                return new ConsumerException("Metadata for topic '" + topic + "' failed with " + error + ": "
                        + error.message(), error);
        }
    }

    private ConsumerException partitionError(TopicPartition tp, Errors error) {
        if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
            final TopicInfo info = client.metadata().topic(tp.topic());
            if (info != null && info.error() == Errors.NONE) {
                return new ConsumerException("Partition " + tp.partition() + " of topic '" + tp.topic()
                        + "' does not exist: the topic has " + info.partitionCount() + " partitions (0 to "
                        + (info.partitionCount() - 1) + ")", error);
            }
            return topicError(tp.topic(), error);
        }
        if (error == Errors.TOPIC_AUTHORIZATION_FAILED || error == Errors.INVALID_TOPIC_EXCEPTION) {
            return topicError(tp.topic(), error);
        }
        return new ConsumerException("Offset lookup for " + tp + " failed with " + error + ": " + error.message(),
                error);
    }
}

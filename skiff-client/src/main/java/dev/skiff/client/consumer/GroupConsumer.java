package dev.skiff.client.consumer;

import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.internal.GroupCoordinator;
import dev.skiff.client.consumer.internal.Heartbeater;
import dev.skiff.client.consumer.internal.PartitionAssignor;
import dev.skiff.client.internal.ClientRequestException;
import dev.skiff.client.internal.Node;
import dev.skiff.client.internal.SyncClient;
import dev.skiff.client.producer.ConfigException;
import dev.skiff.protocol.Errors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer in a consumer group (Kafka's classic group protocol): members that subscribe to the same
 * topics with the same group.id share their partitions, commit how far they got, and a member that joins
 * later, or after a restart, resumes from the committed offsets. Works with Skiff and Kafka brokers and
 * in a group with kafka-clients consumers.
 *
 * <pre>{@code
 * ConsumerConfig config = ConsumerConfig.builder().bootstrapServers("127.0.0.1:9092").groupId("billing")
 *         .autoOffsetReset("earliest").build();
 * try (GroupConsumer<String, String> consumer = GroupConsumer.create(config,
 *         new StringDeserializer(), new StringDeserializer())) {
 *     consumer.subscribe(List.of("orders"), RebalanceListener.NONE);
 *     while (running) {
 *         for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) { ... }
 *     }   // enable.auto.commit commits every auto.commit.interval.ms, before a rebalance and on close
 * }
 * }</pre>
 *
 * <p>Design note: the fetching is {@link SimpleConsumer}'s, unchanged; this class decides which partitions
 * it reads. A {@link GroupCoordinator} runs the join/sync/commit requests on the polling thread and a
 * {@link Heartbeater} thread keeps the membership alive between polls. A rebalance the heartbeat notices is
 * carried out by the next poll (revoke, commit, rejoin, fetch committed offsets, assign), so the listener
 * and the application only ever run on the polling thread. A poll that rejoins may take longer than its
 * timeout: the join waits for the other members (at most max.poll.interval.ms).
 *
 * <p>Rebalance protocols: the member advertises every strategy of partition.assignment.strategy (default
 * "range, cooperative-sticky", as Kafka). With any eager strategy on the list every rebalance revokes all
 * partitions first, as above. With cooperative-sticky alone rebalances are incremental: the join runs in
 * steps between fetches, so retained partitions keep being read; only partitions that move are revoked
 * (committed first with enable.auto.commit), only new ones assigned, and a member that revoked some rejoins
 * so the follow-up rebalance can hand them on. A member the coordinator dropped gets
 * {@link RebalanceListener#onPartitionsLost} and commits nothing.
 *
 * <p>Not thread-safe: one thread, except {@link #wakeup()}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class GroupConsumer<K, V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupConsumer.class);
    /** Longest a poll waits on fetches before looking at the group again. */
    private static final long SLICE_MS = 100;

    private final ConsumerConfig config;
    private final SimpleConsumer<K, V> fetcher;
    private final GroupCoordinator group;
    private final Heartbeater heartbeater;
    private final List<String> topics = new ArrayList<>();
    private final List<SyncClient.Pending> asyncCommits = new ArrayList<>();
    /** Whether rebalances are incremental: partition.assignment.strategy lists only cooperative-sticky. */
    private final boolean cooperative;
    private final GroupCoordinator.Member member = new GroupCoordinator.Member() {
        @Override
        public Collection<TopicPartition> ownedPartitions() {
            return assigned;
        }

        @Override
        public void partitionsLost() {
            GroupConsumer.this.partitionsLost();
        }
    };
    private RebalanceListener listener = RebalanceListener.NONE;
    /** Volatile so monitoring threads may read it; written only by the polling thread. */
    private volatile Set<TopicPartition> assigned = Set.of();
    private volatile boolean wakeupRequested;
    private long nextAutoCommitNanos;
    /** When the incremental join in progress gives up. */
    private long joinDeadline;
    private boolean closed;
    private boolean closing;

    private GroupConsumer(ConsumerConfig config, SimpleConsumer<K, V> fetcher) {
        this.config = config;
        this.fetcher = fetcher;
        this.group = new GroupCoordinator(config);
        this.heartbeater = new Heartbeater(config, group);
        this.cooperative = PartitionAssignor.cooperative(config.partitionAssignmentStrategies());
        heartbeater.start();
    }

    /**
     * A group member; a null deserializer is taken from key.deserializer / value.deserializer.
     *
     * @throws ConfigException when group.id is missing or a deserializer cannot be created
     */
    public static <K, V> GroupConsumer<K, V> create(ConsumerConfig config, Deserializer<K> keyDeserializer,
                                                    Deserializer<V> valueDeserializer) {
        Objects.requireNonNull(config, "config");
        if (config.groupId().isBlank()) {
            throw new ConfigException("Missing " + ConsumerConfig.GROUP_ID + ": a GroupConsumer needs a group to "
                    + "join; use SimpleConsumer to read assigned partitions without a group");
        }
        return new GroupConsumer<>(config, SimpleConsumer.create(config, keyDeserializer, valueDeserializer));
    }

    /** Joins the group for {@code topics} at the next poll, replacing any earlier subscription. */
    public void subscribe(Collection<String> topics, RebalanceListener listener) {
        ensureOpen();
        final Set<String> unique = new LinkedHashSet<>();
        for (String t : topics) {
            unique.add(Objects.requireNonNull(t, "topic"));
        }
        if (unique.isEmpty()) {
            throw new IllegalArgumentException("subscribe needs at least one topic; call close() to leave the group");
        }
        this.topics.clear();
        this.topics.addAll(unique);
        this.listener = listener == null ? RebalanceListener.NONE : listener;
        group.requestRejoin("subscribed to " + unique);
    }

    /** {@link #subscribe(Collection, RebalanceListener)} without a listener. */
    public void subscribe(Collection<String> topics) {
        subscribe(topics, RebalanceListener.NONE);
    }

    /** The subscribed topics. */
    public List<String> subscription() {
        return List.copyOf(topics);
    }

    /** The partitions the group gave this member in the current generation. */
    public Set<TopicPartition> assignment() {
        return assigned;
    }

    /** The member id the coordinator gave this consumer; empty before the first join. */
    public String memberId() {
        return group.generation().memberId();
    }

    /**
     * Records from this member's partitions, at most max.poll.records; joins or rejoins the group first when
     * needed and commits when auto-commit is due.
     *
     * @throws IllegalStateException when nothing is subscribed
     * @throws ConsumerException for a group the coordinator refuses, or any error {@link SimpleConsumer#poll}
     *                           reports
     */
    public List<ConsumerRecord<K, V>> poll(Duration timeout) {
        ensureOpen();
        if (topics.isEmpty()) {
            throw new IllegalStateException("Not subscribed to any topic: call subscribe() before poll()");
        }
        heartbeater.polled();
        final long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            completeAsyncCommits(false);
            if (cooperative) {
                if (group.joinInProgress() || group.rejoinNeeded() || !group.generation().joined()) {
                    // Without partitions there is nothing to read meanwhile: wait on the join instead.
                    stepCooperativeJoin(assigned.isEmpty() ? slice(deadline) : 0);
                }
            } else if (group.rejoinNeeded() || !group.generation().joined()) {
                if (!rejoin()) {
                    return List.of();
                }
            }
            maybeAutoCommit();
            final long slice = slice(deadline);
            if (assigned.isEmpty()) {
                if (!group.joinInProgress()) {
                    group.pollNetwork(slice);
                }
            } else {
                final List<ConsumerRecord<K, V>> records = fetcher.poll(Duration.ofMillis(slice));
                if (!records.isEmpty()) {
                    return records;
                }
            }
            if (System.nanoTime() - deadline >= 0 || wakeupRequested) {
                wakeupRequested = false;
                return List.of();
            }
        }
    }

    private static long slice(long deadline) {
        final long remaining = deadline - System.nanoTime();
        return Math.max(0, Math.min(TimeUnit.NANOSECONDS.toMillis(remaining), SLICE_MS));
    }

    /**
     * Gives up the partitions, joins the next generation and takes the new assignment, starting each
     * partition at its committed offset (else auto.offset.reset). The eager protocol.
     *
     * @return false when the coordinator could not be reached (retried by the next poll)
     */
    private boolean rejoin() {
        final long deadline = SyncClient.deadline((long) config.maxPollIntervalMs() + config.requestTimeoutMs());
        if (!assigned.isEmpty()) {
            if (group.takeMembershipLost()) {
                partitionsLost();
            } else {
                if (config.enableAutoCommit()) {
                    try {
                        commitSync();
                    } catch (ConsumerException e) {
                        LOG.warn("Group {}: commit before rebalance failed ({}); the next owner of these partitions"
                                + " may read some records again", group.groupId(), e.getMessage());
                    }
                }
                // The listener runs while the partitions are still assigned, so it can commit their positions
                // (as the RebalanceListener contract says); only then are they dropped.
                final Set<TopicPartition> revoked = assigned;
                listener.onPartitionsRevoked(revoked);
                assigned = Set.of();
                fetcher.assign(List.of());
            }
        }
        final List<TopicPartition> partitions;
        final Map<TopicPartition, Long> committed;
        try {
            partitions = group.joinAndSync(List.copyOf(topics), member, deadline);
            committed = group.fetchCommitted(partitions, deadline);
        } catch (ClientRequestException e) {
            return joinFailed(e);
        }
        fetcher.assign(partitions);
        committed.forEach((tp, offset) -> {
            if (offset >= 0) {
                fetcher.seek(tp, offset);
            }
        });
        assigned = Set.copyOf(partitions);
        nextAutoCommitNanos = SyncClient.deadline(config.autoCommitIntervalMs());
        listener.onPartitionsAssigned(assigned);
        return true;
    }

    /** A join that did not complete: UNREACHABLE is the caller's problem, anything else is retried. */
    private boolean joinFailed(ClientRequestException e) {
        if (e.reason() == ClientRequestException.Reason.WAKEUP && group.joinInProgress()) {
            return false; // the join goes on at the next poll
        }
        group.requestRejoin(e.getMessage());
        if (e.reason() == ClientRequestException.Reason.UNREACHABLE) {
            throw new ConsumerException(e.getMessage(), e.error(), e);
        }
        LOG.info("Group {}: rejoin interrupted ({}); retrying at the next poll", group.groupId(), e.getMessage());
        return false;
    }

    /**
     * Advances an incremental (cooperative) join by one step, waiting at most {@code waitMs} for the
     * coordinator; the retained partitions keep being read in between. Before the join starts, partitions of
     * topics no longer subscribed are revoked and, with auto-commit, positions are committed.
     */
    private void stepCooperativeJoin(long waitMs) {
        if (!group.joinInProgress()) {
            joinDeadline = SyncClient.deadline((long) config.maxPollIntervalMs() + config.requestTimeoutMs());
            if (!assigned.isEmpty() && !group.takeMembershipLost()) {
                prepareCooperativeJoin();
            } else if (!assigned.isEmpty()) {
                partitionsLost();
            }
        }
        final List<TopicPartition> partitions;
        try {
            partitions = group.pollJoin(List.copyOf(topics), member, SyncClient.deadline(Math.max(1, waitMs)),
                    joinDeadline);
        } catch (ClientRequestException e) {
            joinFailed(e);
            return;
        }
        if (partitions != null) {
            applyIncrementalAssignment(partitions);
        }
    }

    private void prepareCooperativeJoin() {
        if (config.enableAutoCommit() && group.generation().joined()) {
            try {
                commitSync();
            } catch (ConsumerException e) {
                LOG.warn("Group {}: commit before rebalance failed ({})", group.groupId(), e.getMessage());
            }
        }
        final Set<TopicPartition> unsubscribed = new LinkedHashSet<>();
        for (TopicPartition tp : assigned) {
            if (!topics.contains(tp.topic())) {
                unsubscribed.add(tp);
            }
        }
        if (!unsubscribed.isEmpty()) {
            revoke(unsubscribed);
        }
    }

    /**
     * Takes a cooperative assignment: revokes what is no longer this member's (after committing it) and
     * asks for the follow-up rebalance that hands it on, then adds the new partitions at their committed
     * offsets. Retained partitions keep their positions.
     */
    private void applyIncrementalAssignment(List<TopicPartition> partitions) {
        final Set<TopicPartition> now = new LinkedHashSet<>(partitions);
        final List<TopicPartition> added = new ArrayList<>();
        for (TopicPartition tp : now) {
            if (!assigned.contains(tp)) {
                added.add(tp);
            }
        }
        final Map<TopicPartition, Long> committed;
        try {
            committed = group.fetchCommitted(added, joinDeadline);
        } catch (ClientRequestException e) {
            group.requestRejoin("fetching committed offsets failed: " + e.getMessage());
            return;
        }
        final Set<TopicPartition> revoked = new LinkedHashSet<>(assigned);
        revoked.removeAll(now);
        if (!revoked.isEmpty()) {
            revoke(revoked);
            group.requestRejoin(revoked.size() + " partition(s) revoked, so the group can reassign them");
        }
        final List<TopicPartition> all = new ArrayList<>(assigned);
        all.addAll(added);
        fetcher.assign(all);
        committed.forEach((tp, offset) -> {
            if (offset >= 0) {
                fetcher.seek(tp, offset);
            }
        });
        assigned = Set.copyOf(all);
        nextAutoCommitNanos = SyncClient.deadline(config.autoCommitIntervalMs());
        listener.onPartitionsAssigned(List.copyOf(added));
    }

    /** Commits (with auto-commit) and tells the listener, then stops reading {@code revoked}. */
    private void revoke(Set<TopicPartition> revoked) {
        if (config.enableAutoCommit()) {
            final Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
            for (TopicPartition tp : revoked) {
                offsets.put(tp, fetcher.position(tp));
            }
            try {
                group.commitSync(offsets, SyncClient.deadline(config.defaultApiTimeoutMs()));
            } catch (RuntimeException e) {
                LOG.warn("Group {}: commit of revoked partitions failed ({}); their next owner may read some "
                        + "records again", group.groupId(), e.getMessage());
            }
        }
        // The listener runs while the partitions are still assigned, so it can commit their positions.
        listener.onPartitionsRevoked(List.copyOf(revoked));
        final List<TopicPartition> kept = new ArrayList<>(assigned);
        kept.removeAll(revoked);
        fetcher.assign(kept);
        assigned = Set.copyOf(kept);
    }

    /** The membership is gone: drop every partition without committing (another member may own them). */
    private void partitionsLost() {
        final Set<TopicPartition> lost = assigned;
        if (lost.isEmpty()) {
            return;
        }
        LOG.info("Group {}: lost {} partition(s) with the membership", group.groupId(), lost.size());
        assigned = Set.of();
        fetcher.assign(List.of());
        listener.onPartitionsLost(lost);
    }

    private void maybeAutoCommit() {
        if (!config.enableAutoCommit() || assigned.isEmpty() || System.nanoTime() - nextAutoCommitNanos < 0
                || group.joinInProgress() || !group.generation().joined()) {
            return;
        }
        nextAutoCommitNanos = SyncClient.deadline(config.autoCommitIntervalMs());
        commitAsync();
    }

    /**
     * Commits the position of every assigned partition (the offset after the last record poll returned)
     * and waits for the coordinator.
     *
     * @throws ConsumerException when the commit failed; after a rebalance (ILLEGAL_GENERATION,
     *                           UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS) the next poll rejoins
     */
    public void commitSync() {
        commitSync(positions());
    }

    /**
     * Commits these offsets (each the offset of the next record to read) and waits for the coordinator.
     *
     * @throws ConsumerException when the commit failed
     */
    public void commitSync(Map<TopicPartition, Long> offsets) {
        ensureOpen();
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("Offset to commit for " + e.getKey() + " must be >= 0, got "
                        + e.getValue());
            }
        }
        if (group.joinInProgress()) {
            throw new ConsumerException("Group " + group.groupId() + ": a rebalance is in progress; commit again "
                    + "after the next poll completes it", Errors.REBALANCE_IN_PROGRESS);
        }
        try {
            group.commitSync(offsets, SyncClient.deadline(config.defaultApiTimeoutMs()));
        } catch (ClientRequestException e) {
            throw new ConsumerException("Group " + group.groupId() + ": commit failed: " + e.getMessage(), e.error(),
                    e);
        }
    }

    /**
     * Sends a commit of every assigned partition's position without waiting; failures are logged (a later
     * commit covers the same partitions).
     */
    public void commitAsync() {
        ensureOpen();
        final Map<TopicPartition, Long> offsets = positions();
        final Node node = group.coordinator();
        if (offsets.isEmpty() || node == null || group.joinInProgress()) {
            return;
        }
        try {
            asyncCommits.add(group.commitAsync(node, offsets));
        } catch (ClientRequestException e) {
            LOG.warn("Group {}: async commit not sent ({})", group.groupId(), e.getMessage());
        }
    }

    /** Checks the answers of asynchronous commits; with {@code wait}, waits for all of them. */
    private void completeAsyncCommits(boolean wait) {
        if (asyncCommits.isEmpty()) {
            return;
        }
        final Node node = group.coordinator();
        final long deadline = SyncClient.deadline(wait ? config.requestTimeoutMs() : 0);
        for (int i = asyncCommits.size() - 1; i >= 0; i--) {
            final SyncClient.Pending pending = asyncCommits.get(i);
            if (!pending.isDone() && !wait) {
                continue;
            }
            asyncCommits.remove(i);
            try {
                group.commitResult(node, pending, deadline);
            } catch (RuntimeException e) {
                LOG.warn("Group {}: async commit failed ({})", group.groupId(), e.getMessage());
            }
        }
        if (!wait) {
            group.pollNetwork(0);
        }
    }

    /** The committed offsets of {@code partitions} in this group; absent where none is committed. */
    public Map<TopicPartition, Long> committed(Collection<TopicPartition> partitions) {
        ensureOpen();
        try {
            final Map<TopicPartition, Long> out = new LinkedHashMap<>();
            group.fetchCommitted(List.copyOf(partitions), SyncClient.deadline(config.defaultApiTimeoutMs()))
                    .forEach((tp, offset) -> {
                        if (offset >= 0) {
                            out.put(tp, offset);
                        }
                    });
            return out;
        } catch (ClientRequestException e) {
            throw new ConsumerException(e.getMessage(), e.error(), e);
        }
    }

    /** The offset of the next record poll returns for an assigned partition. */
    public long position(TopicPartition tp) {
        return fetcher.position(tp);
    }

    private Map<TopicPartition, Long> positions() {
        final Map<TopicPartition, Long> out = new LinkedHashMap<>();
        for (TopicPartition tp : assigned) {
            out.put(tp, fetcher.position(tp));
        }
        return out;
    }

    /** Makes a blocked {@link #poll} return an empty list soon (a rebalance in progress finishes first). */
    public void wakeup() {
        wakeupRequested = true;
        fetcher.wakeup();
    }

    /**
     * Commits (with enable.auto.commit), leaves the group so its partitions move at once, and closes the
     * connections. Idempotent.
     */
    @Override
    public void close() {
        if (closed || closing) {
            return;
        }
        // Until the group is left the consumer stays usable, so the rebalance listener may commit from
        // onPartitionsRevoked as with kafka-clients; `closing` keeps a close() from the listener a no-op.
        closing = true;
        try {
            heartbeater.close();
            finishJoinBeforeClosing();
            if (config.enableAutoCommit() && !assigned.isEmpty() && group.generation().joined()
                    && !group.joinInProgress()) {
                try {
                    completeAsyncCommits(true);
                    group.commitSync(positions(), SyncClient.deadline(config.requestTimeoutMs()));
                } catch (RuntimeException e) {
                    LOG.warn("Group {}: commit on close failed ({})", group.groupId(), e.getMessage());
                }
            }
            if (!assigned.isEmpty()) {
                try {
                    if (group.takeMembershipLost()) {
                        listener.onPartitionsLost(assigned);
                    } else {
                        listener.onPartitionsRevoked(assigned);
                    }
                } catch (RuntimeException e) {
                    // The group must still be left, or the partitions would wait for the session timeout.
                    LOG.error("Group {}: the rebalance listener failed while closing", group.groupId(), e);
                }
            }
            group.leave("the consumer is closing", SyncClient.deadline(config.requestTimeoutMs()));
        } finally {
            closed = true;
            assigned = Set.of();
            try {
                group.close();
            } finally {
                fetcher.close();
            }
        }
    }

    /**
     * An incremental join still on its way would leave this member without a generation to commit with, and
     * the next owner of its partitions would start from an older commit: wait (up to request.timeout.ms) for
     * the join to end, so the commit on close counts. The new assignment itself is not taken up.
     */
    private void finishJoinBeforeClosing() {
        if (!group.joinInProgress() || assigned.isEmpty()) {
            return;
        }
        try {
            final long until = SyncClient.deadline(config.requestTimeoutMs());
            group.pollJoin(List.copyOf(topics), member, until, until - joinDeadline < 0 ? until : joinDeadline);
        } catch (RuntimeException e) {
            LOG.warn("Group {}: the rebalance did not complete before closing ({}); the next owner of these "
                    + "partitions may read some records again", group.groupId(), e.getMessage());
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("This consumer is closed");
        }
    }
}

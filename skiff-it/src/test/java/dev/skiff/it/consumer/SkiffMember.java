package dev.skiff.it.consumer;

import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.ConsumerConfig;
import dev.skiff.client.consumer.ConsumerRecord;
import dev.skiff.client.consumer.GroupConsumer;
import dev.skiff.client.consumer.RebalanceListener;
import dev.skiff.client.serde.StringDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Skiff {@link GroupConsumer} on a thread of its own (the consumer is single-threaded), subscribed to one
 * topic until {@link #close()}: it records every delivery in a shared {@link Deliveries}, what its
 * {@link RebalanceListener} was told, and its assignment after every poll. Work that must run on the polling
 * thread (a commit) is queued with {@link #commitSync()} and done between polls.
 *
 * <p>A member whose thread failed (an exception out of poll, a commit or close) makes {@link #check()} and
 * {@link #close()} fail with that exception as the cause, so a test waiting on the member sees why.
 */
final class SkiffMember implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long CLOSE_WAIT_MS = 60_000;

    final String name;
    /** Every partition the listener revoked, in order. */
    final List<TopicPartition> revoked = new CopyOnWriteArrayList<>();
    /** Every partition the listener reported lost. */
    final List<TopicPartition> lost = new CopyOnWriteArrayList<>();
    /** What the listener's own commits threw (see {@code commitOnRevoke}). */
    final List<Throwable> listenerErrors = new CopyOnWriteArrayList<>();
    /** How many times the listener's onPartitionsAssigned ran. */
    final AtomicInteger assignedCalls = new AtomicInteger();
    /** The first offset this member read from each partition: where it started reading. */
    final Map<TopicPartition, Long> firstOffsets = new ConcurrentHashMap<>();
    private final GroupConsumer<String, String> consumer;
    private final Deliveries deliveries;
    private final boolean commitOnRevoke;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile String memberId = "";
    private volatile boolean stop;
    private volatile Throwable failure;

    /**
     * Creates the consumer and starts polling {@code topic} at once. With {@code commitOnRevoke} the listener
     * calls {@code commitSync()} in onPartitionsRevoked, the usual way (Kafka's too) for an application without
     * auto-commit to hand its partitions over without records being read twice; what such a commit throws is
     * kept in {@link #listenerErrors}, not rethrown, so the consumer carries on.
     */
    SkiffMember(String name, ConsumerConfig config, String topic, Deliveries deliveries, boolean commitOnRevoke) {
        this.name = name;
        this.commitOnRevoke = commitOnRevoke;
        this.deliveries = deliveries;
        this.consumer = GroupConsumer.create(config, new StringDeserializer(), new StringDeserializer());
        this.thread = new Thread(() -> run(topic), "skiff-member-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(String topic) {
        try (consumer) {
            consumer.subscribe(List.of(topic), new RebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    revoked.addAll(partitions);
                    if (commitOnRevoke && !partitions.isEmpty()) {
                        try {
                            consumer.commitSync();
                        } catch (RuntimeException e) {
                            listenerErrors.add(e);
                        }
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assignedCalls.incrementAndGet();
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    lost.addAll(partitions);
                }
            });
            while (!stop) {
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    final TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    firstOffsets.putIfAbsent(tp, r.offset());
                    deliveries.record(name, tp, r.offset());
                }
                assignment = consumer.assignment();
                memberId = consumer.memberId();
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                    task.run();
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            assignment = Set.of();
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                task.run(); // completes them exceptionally: the consumer is closed
            }
        }
    }

    /** The partitions the group gave this member, as of its last poll. */
    Set<TopicPartition> assignment() {
        return assignment;
    }

    /** The member id the coordinator gave this member, as of its last poll. */
    String memberId() {
        return memberId;
    }

    /**
     * Commits the position of every assigned partition on the polling thread; the future completes with the
     * offsets committed, or exceptionally with the commit's failure.
     */
    CompletableFuture<Map<TopicPartition, Long>> commitSync() {
        final CompletableFuture<Map<TopicPartition, Long>> done = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                final Map<TopicPartition, Long> positions = new LinkedHashMap<>();
                for (TopicPartition tp : consumer.assignment()) {
                    positions.put(tp, consumer.position(tp));
                }
                consumer.commitSync();
                done.complete(positions);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    /** Fails when the polling thread died. */
    void check() {
        if (failure != null) {
            throw new AssertionError("member " + name + " failed: " + failure, failure);
        }
    }

    /** Stops polling and closes the consumer (commit with auto-commit, LeaveGroup unless static). */
    @Override
    public void close() {
        stop = true;
        try {
            thread.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            consumer.wakeup();
            throw new AssertionError("member " + name + " did not close within " + CLOSE_WAIT_MS + " ms");
        }
        check();
    }

    /** Which member read each record, shared by the members of one test, and every record read twice. */
    static final class Deliveries {
        private final Map<String, String> readBy = new ConcurrentHashMap<>();
        private final List<String> duplicates = new CopyOnWriteArrayList<>();

        void record(String member, TopicPartition tp, long offset) {
            final String key = tp + "@" + offset;
            final String previous = readBy.putIfAbsent(key, member);
            if (previous != null) {
                duplicates.add(key + " read by " + previous + " and " + member);
            }
        }

        /** Distinct records read. */
        int size() {
            return readBy.size();
        }

        List<String> duplicates() {
            return List.copyOf(duplicates);
        }

        /** The first few records read twice, for an assertion's message. */
        String sample() {
            final List<String> all = duplicates();
            return all.size() <= 3 ? all.toString() : all.subList(0, 3) + " and " + (all.size() - 3) + " more";
        }

        /** How many distinct records each member read first. */
        Map<String, Integer> perMember() {
            final Map<String, Integer> out = new HashMap<>();
            readBy.values().forEach(m -> out.merge(m, 1, Integer::sum));
            return out;
        }
    }
}

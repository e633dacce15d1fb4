package dev.skiff.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.TopicPartition;

/**
 * What each member of one group owns right now, as its rebalance callbacks report it, and the moment the
 * watched members settled: every watched member owns at least one partition, no partition is owned twice,
 * all partitions are owned, and the counts differ by at most one (what the range assignor gives on one
 * topic).
 *
 * <p>The settle time is taken in the callback that completed the picture, not when the waiting thread wakes
 * up, so scheduling delay on a loaded machine is not counted. Callbacks are applied as deltas (revoked and
 * lost remove, assigned adds), which covers both the eager classic protocol (revoke all, assign all) and the
 * incremental one of KIP-848 (revoke some, assign some).
 */
final class AssignmentBoard {
    private final int partitions;
    private final Map<String, Set<Integer>> owned = new HashMap<>();
    private Set<String> watched = Set.of();
    private long settledAtNanos = -1;
    private long firstMoveNanos = -1;
    private Throwable failure;

    AssignmentBoard(int partitions) {
        this.partitions = partitions;
    }

    synchronized void assigned(String member, Collection<TopicPartition> added, long nanos) {
        apply(member, added, true, nanos);
    }

    synchronized void revoked(String member, Collection<TopicPartition> removed, long nanos) {
        apply(member, removed, false, nanos);
    }

    /** A member's thread died: whoever waits gets the cause instead of a time-out. */
    synchronized void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        notifyAll();
    }

    /** Starts watching {@code members}: the next {@link #awaitSettled} returns when they have settled. */
    synchronized void watch(List<String> members) {
        watched = Set.copyOf(members);
        settledAtNanos = -1;
        firstMoveNanos = -1;
        // Every measurement begins from a state that is not settled for the new set; say so if it is.
        if (settled()) {
            throw new IllegalStateException("members " + members + " are already settled before the step began");
        }
    }

    /** Waits until the watched members settle and returns System.nanoTime() of the callback that did it. */
    synchronized long awaitSettled(long timeoutMs) throws InterruptedException, TimeoutException {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (settledAtNanos < 0) {
            if (failure != null) {
                throw new IllegalStateException("a member failed: " + failure, failure);
            }
            final long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                throw new TimeoutException("members " + watched + " did not settle within " + timeoutMs
                        + " ms; they own " + owned);
            }
            wait(leftMs);
        }
        return settledAtNanos;
    }

    /**
     * When the first watched member gave up or got a partition since {@link #watch}: the moment the rebalance
     * reached the members (a member learns of it at its next heartbeat), so settle time minus this is the
     * rebalance round itself, without the wait for the heartbeat.
     */
    synchronized long firstMoveNanos() {
        return firstMoveNanos;
    }

    private void apply(String member, Collection<TopicPartition> changed, boolean add, long nanos) {
        final Set<Integer> mine = owned.computeIfAbsent(member, m -> new HashSet<>());
        for (TopicPartition tp : changed) {
            if (add) {
                mine.add(tp.partition());
            } else {
                mine.remove(tp.partition());
            }
        }
        // The classic consumer calls back with empty collections too; those move nothing.
        if (firstMoveNanos < 0 && !changed.isEmpty() && watched.contains(member)) {
            firstMoveNanos = nanos;
        }
        check(nanos);
    }

    private void check(long nanos) {
        if (settledAtNanos < 0 && !watched.isEmpty() && settled()) {
            settledAtNanos = nanos;
            notifyAll();
        }
    }

    private boolean settled() {
        final Set<Integer> union = new HashSet<>();
        int total = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (String member : watched) {
            final Set<Integer> mine = owned.getOrDefault(member, Set.of());
            if (mine.isEmpty()) {
                return false;
            }
            union.addAll(mine);
            total += mine.size();
            min = Math.min(min, mine.size());
            max = Math.max(max, mine.size());
        }
        return total == partitions && union.size() == partitions && max - min <= 1;
    }
}

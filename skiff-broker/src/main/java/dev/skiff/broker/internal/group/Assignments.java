package dev.skiff.broker.internal.group;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Set arithmetic on KIP-848 assignments: topic id to partition numbers. Every result is a fresh sorted
 * map of sorted sets without empty entries, so two assignments holding the same partitions are
 * {@code equals}, which is how a heartbeat decides whether the member's assignment changed.
 */
final class Assignments {
    private Assignments() {
    }

    /** A fresh, empty assignment. */
    static Map<UUID, Set<Integer>> empty() {
        return new TreeMap<>();
    }

    /** A sorted deep copy without empty topics. */
    static Map<UUID, Set<Integer>> copy(Map<UUID, ? extends Set<Integer>> a) {
        final Map<UUID, Set<Integer>> copy = new TreeMap<>();
        a.forEach((topic, partitions) -> {
            if (!partitions.isEmpty()) {
                copy.put(topic, new TreeSet<>(partitions));
            }
        });
        return copy;
    }

    static boolean contains(Map<UUID, Set<Integer>> a, UUID topic, int partition) {
        final Set<Integer> partitions = a.get(topic);
        return partitions != null && partitions.contains(partition);
    }

    static void add(Map<UUID, Set<Integer>> a, UUID topic, int partition) {
        a.computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
    }

    /** Partitions of {@code a} that are not in {@code b}. */
    static Map<UUID, Set<Integer>> minus(Map<UUID, Set<Integer>> a, Map<UUID, Set<Integer>> b) {
        final Map<UUID, Set<Integer>> result = new TreeMap<>();
        a.forEach((topic, partitions) -> {
            for (int p : partitions) {
                if (!contains(b, topic, p)) {
                    add(result, topic, p);
                }
            }
        });
        return result;
    }

    /** Partitions in both. */
    static Map<UUID, Set<Integer>> intersect(Map<UUID, Set<Integer>> a, Map<UUID, Set<Integer>> b) {
        final Map<UUID, Set<Integer>> result = new TreeMap<>();
        a.forEach((topic, partitions) -> {
            for (int p : partitions) {
                if (contains(b, topic, p)) {
                    add(result, topic, p);
                }
            }
        });
        return result;
    }

    /** Whether any partition of {@code a} is in {@code b}. */
    static boolean overlaps(Map<UUID, Set<Integer>> a, Map<UUID, Set<Integer>> b) {
        for (Map.Entry<UUID, Set<Integer>> e : a.entrySet()) {
            for (int p : e.getValue()) {
                if (contains(b, e.getKey(), p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether every partition of {@code a} is in {@code b}. */
    static boolean isSubset(Map<UUID, Set<Integer>> a, Map<UUID, Set<Integer>> b) {
        return minus(a, b).isEmpty();
    }

    static int count(Map<UUID, Set<Integer>> a) {
        int n = 0;
        for (Set<Integer> partitions : a.values()) {
            n += partitions.size();
        }
        return n;
    }
}

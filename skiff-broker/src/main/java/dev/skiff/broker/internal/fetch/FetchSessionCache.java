package dev.skiff.broker.internal.fetch;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * The broker's fetch sessions by id, at most {@code max.incremental.fetch.session.cache.slots} of them.
 *
 * <p>Why a bound and an eviction rule: a client that disconnects never says goodbye to its session, so
 * sessions of closed connections stay until evicted, as in Kafka; the bound keeps that from growing. When
 * every slot is taken, a new session replaces the least recently used one, but only if that one has been idle
 * for at least {@link #MIN_EVICTION_AGE_MS} (Kafka's value), so busy clients cannot evict each other in a
 * loop; otherwise no session is created and the fetch is answered sessionless (session id 0), which clients
 * accept. Kafka additionally lets a session with many partitions evict a smaller one; Skiff does not.
 *
 * <p>Thread-safe: every method holds this cache's monitor; none of them takes a session's monitor, so a
 * caller holding a session's monitor may call in (the lock order is session, then cache).
 */
public final class FetchSessionCache {
    /** A session idle for less than this is never evicted to make room (Kafka: 120 s). */
    public static final long MIN_EVICTION_AGE_MS = 120_000L;

    private final int slots;
    private final long minEvictionAgeMs;
    private final IntSupplier idSource;
    /** Access order: the first entry is the least recently used session. */
    private final LinkedHashMap<Integer, FetchSession> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private long evictions;

    /**
     * @param slots            most sessions kept at once; 0 disables sessions
     * @param minEvictionAgeMs how long a session must have been idle before a new one may evict it
     * @param idSource         candidate session ids (random in production; 0 and ids in use are skipped)
     */
    public FetchSessionCache(int slots, long minEvictionAgeMs, IntSupplier idSource) {
        if (slots < 0) {
            throw new IllegalArgumentException("slots must be >= 0: " + slots);
        }
        this.slots = slots;
        this.minEvictionAgeMs = minEvictionAgeMs;
        this.idSource = idSource;
    }

    /** A cache with Kafka's minimum eviction age and random session ids. */
    public static FetchSessionCache create(int slots) {
        return new FetchSessionCache(slots, MIN_EVICTION_AGE_MS, () -> ThreadLocalRandom.current().nextInt());
    }

    /**
     * Creates a session with a fresh non-zero id, evicting the least recently used one if the cache is full
     * and that one is old enough; null when there is no room (the fetch then goes sessionless).
     */
    public synchronized FetchSession create(boolean usesTopicIds, long nowMs) {
        if (slots == 0) {
            return null;
        }
        if (sessions.size() >= slots && !evictOne(nowMs)) {
            return null;
        }
        int id;
        do {
            id = idSource.getAsInt();
        } while (id == 0 || sessions.containsKey(id));
        final FetchSession session = new FetchSession(id, usesTopicIds, nowMs);
        sessions.put(id, session);
        return session;
    }

    private boolean evictOne(long nowMs) {
        final Iterator<FetchSession> lru = sessions.values().iterator();
        if (!lru.hasNext()) {
            return false;
        }
        final FetchSession eldest = lru.next();
        if (nowMs - eldest.lastUsedMs() < minEvictionAgeMs) {
            return false;
        }
        lru.remove();
        evictions++;
        return true;
    }

    /** The session with this id, marked as used now; null if unknown (never created, closed or evicted). */
    public synchronized FetchSession get(int id, long nowMs) {
        final FetchSession session = sessions.get(id);
        if (session != null) {
            session.lastUsedMs(nowMs);
        }
        return session;
    }

    /** Closes a session; returns whether it existed. */
    public synchronized boolean remove(int id) {
        return sessions.remove(id) != null;
    }

    public synchronized int size() {
        return sessions.size();
    }

    /** Sessions removed to make room since start (for tests and metrics). */
    public synchronized long evictions() {
        return evictions;
    }

    public int slots() {
        return slots;
    }
}

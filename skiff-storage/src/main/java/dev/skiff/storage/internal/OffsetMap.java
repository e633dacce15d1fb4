package dev.skiff.storage.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The cleaner's key index: for each record key seen in the dirty part of a log, the highest offset holding it.
 *
 * <p>Design note: Kafka's cleaner keeps only a 16-byte hash per key in a fixed buffer and accepts the (tiny)
 * chance that two keys collide, which would delete a live record. This map stores the key bytes themselves in
 * one growing arena, so lookups are exact; its memory is the distinct key bytes plus 20 bytes per slot, and the
 * cleaner bounds it by ending the dirty range early ({@link #memoryBytes()}). Open addressing with linear
 * probing over parallel primitive arrays: no object per key, no boxing. Entries are never removed; the map is
 * {@link #clear() cleared} between passes. Not thread-safe.
 */
public final class OffsetMap {
    private static final int MIN_CAPACITY = 1024;

    private int[] hashes;
    private int[] keyStarts;
    private int[] keyLengths;
    private long[] offsets;
    private int mask;
    private int size;
    private byte[] arena = new byte[64 * 1024];
    private int arenaSize;

    public OffsetMap() {
        allocate(MIN_CAPACITY);
    }

    private void allocate(int capacity) {
        hashes = new int[capacity];
        keyStarts = new int[capacity];
        keyLengths = new int[capacity];
        offsets = new long[capacity];
        Arrays.fill(offsets, -1L);
        mask = capacity - 1;
    }

    /** Distinct keys. */
    public int size() {
        return size;
    }

    /** Approximate heap held: the key arena and the slot arrays. */
    public long memoryBytes() {
        return arena.length + 20L * offsets.length;
    }

    /** Forgets every key; keeps the arrays for the next pass. */
    public void clear() {
        Arrays.fill(offsets, -1L);
        size = 0;
        arenaSize = 0;
    }

    /**
     * Records that {@code key} (position..limit, not consumed) is at {@code offset}; the larger offset wins.
     *
     * @throws IllegalArgumentException for a negative offset (negative marks an empty slot)
     */
    public void put(ByteBuffer key, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        final int hash = hash(key);
        int i = hash & mask;
        while (offsets[i] >= 0) {
            if (hashes[i] == hash && equalsAt(i, key)) {
                if (offset > offsets[i]) {
                    offsets[i] = offset;
                }
                return;
            }
            i = (i + 1) & mask;
        }
        final int length = key.remaining();
        ensureArena(length);
        key.duplicate().get(arena, arenaSize, length);
        hashes[i] = hash;
        keyStarts[i] = arenaSize;
        keyLengths[i] = length;
        offsets[i] = offset;
        arenaSize += length;
        if (++size * 4 > offsets.length * 3) {
            rehash(offsets.length * 2);
        }
    }

    /** The highest offset recorded for {@code key}, or -1 if it was not seen. */
    public long get(ByteBuffer key) {
        final int hash = hash(key);
        for (int i = hash & mask; offsets[i] >= 0; i = (i + 1) & mask) {
            if (hashes[i] == hash && equalsAt(i, key)) {
                return offsets[i];
            }
        }
        return -1L;
    }

    private boolean equalsAt(int slot, ByteBuffer key) {
        final int length = keyLengths[slot];
        if (length != key.remaining()) {
            return false;
        }
        final int start = keyStarts[slot];
        final int from = key.position();
        for (int j = 0; j < length; j++) {
            if (arena[start + j] != key.get(from + j)) {
                return false;
            }
        }
        return true;
    }

    /** FNV-1a over the bytes, then a final mix so that linear probing sees well spread low bits. */
    private static int hash(ByteBuffer key) {
        int h = 0x811C9DC5;
        for (int j = key.position(), end = key.limit(); j < end; j++) {
            h = (h ^ key.get(j)) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h;
    }

    private void ensureArena(int length) {
        if (arena.length - arenaSize < length) {
            final long needed = (long) arenaSize + length;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("cleaner key map exceeds 2 GiB of key bytes");
            }
            arena = Arrays.copyOf(arena, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * arena.length)));
        }
    }

    private void rehash(int capacity) {
        final int[] oldHashes = hashes;
        final int[] oldStarts = keyStarts;
        final int[] oldLengths = keyLengths;
        final long[] oldOffsets = offsets;
        allocate(capacity);
        for (int i = 0; i < oldOffsets.length; i++) {
            if (oldOffsets[i] >= 0) {
                int j = oldHashes[i] & mask;
                while (offsets[j] >= 0) {
                    j = (j + 1) & mask;
                }
                hashes[j] = oldHashes[i];
                keyStarts[j] = oldStarts[i];
                keyLengths[j] = oldLengths[i];
                offsets[j] = oldOffsets[i];
            }
        }
    }
}

package dev.skiff.storage.internal;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An open-addressing hash map from {@code long} to non-null values.
 *
 * <p>Exists so the produce path can look up a producer id per batch without boxing it into a {@link Long}.
 * Linear probing with backward-shift deletion keeps it short; a slot is empty when its value is null. Not
 * thread-safe.
 *
 * @param <V> value type
 */
public final class LongHashMap<V> {
    private static final int MIN_CAPACITY = 16;

    private long[] keys;
    private Object[] values;
    private int mask;
    private int size;

    public LongHashMap() {
        allocate(MIN_CAPACITY);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    private int slot(long key) {
        final long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        for (int i = slot(key); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** Maps {@code key} to {@code value}; returns the previous value or null. */
    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        int i = slot(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                final V old = (V) values[i];
                values[i] = value;
                return old;
            }
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > values.length) {
            rehash(values.length * 2);
        }
        return null;
    }

    /** Removes {@code key}; returns its value or null. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int i = slot(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                final V old = (V) values[i];
                deleteSlot(i);
                size--;
                return old;
            }
        }
        return null;
    }

    /** Empties slot {@code hole} and shifts back the entries of its probe run so lookups still find them. */
    private void deleteSlot(int hole) {
        int free = hole;
        for (int i = (free + 1) & mask; values[i] != null; i = (i + 1) & mask) {
            final int home = slot(keys[i]);
            // The entry at i may move to the free slot only if the free slot lies on its probe path home..i.
            final boolean movable = free <= i ? (home <= free || home > i) : (home <= free && home > i);
            if (movable) {
                keys[free] = keys[i];
                values[free] = values[i];
                free = i;
            }
        }
        values[free] = null;
        keys[free] = 0;
    }

    private void rehash(int capacity) {
        final long[] oldKeys = keys;
        final Object[] oldValues = values;
        allocate(capacity);
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                int j = slot(oldKeys[i]);
                while (values[j] != null) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
            }
        }
    }

    public void clear() {
        Arrays.fill(values, null);
        Arrays.fill(keys, 0L);
        size = 0;
    }

    /** Visits every value, in no particular order. */
    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<? super V> action) {
        for (Object v : values) {
            if (v != null) {
                action.accept((V) v);
            }
        }
    }

    /** Removes the entries whose value matches; returns how many. */
    @SuppressWarnings("unchecked")
    public int removeIf(Predicate<? super V> filter) {
        long[] doomed = new long[4];
        int count = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null && filter.test((V) values[i])) {
                if (count == doomed.length) {
                    doomed = Arrays.copyOf(doomed, count * 2);
                }
                doomed[count++] = keys[i];
            }
        }
        for (int i = 0; i < count; i++) {
            remove(doomed[i]);
        }
        return count;
    }
}

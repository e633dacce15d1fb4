package dev.skiff.generator.spec;

import java.util.Objects;

/**
 * An inclusive range of protocol versions, as written in the spec files: {@code "3+"}, {@code "0-12"},
 * {@code "5"} or {@code "none"}.
 *
 * <p>The empty range is represented as lowest 0, highest -1, which is also what Kafka reports for APIs
 * whose every version was removed, so {@code ApiKeys} built from it agrees with Kafka's.
 */
public final class Versions {
    /** Highest version an open-ended range ({@code "N+"}) reaches. */
    public static final short MAX = Short.MAX_VALUE;
    /** The empty range. */
    public static final Versions NONE = new Versions((short) 0, (short) -1);
    /** Every version. */
    public static final Versions ALL = new Versions((short) 0, MAX);

    private final short lowest;
    private final short highest;

    private Versions(short lowest, short highest) {
        this.lowest = lowest;
        this.highest = highest;
    }

    /** The range {@code lowest..highest}, or {@link #NONE} when it is empty. */
    public static Versions of(int lowest, int highest) {
        if (lowest > highest) {
            return NONE;
        }
        if (lowest < 0 || highest > MAX) {
            throw new IllegalArgumentException("versions out of range: " + lowest + "-" + highest);
        }
        return new Versions((short) lowest, (short) highest);
    }

    /**
     * Parses a version range as the spec files write it. A missing value ({@code null}) yields
     * {@code absent}.
     */
    public static Versions parse(String text, Versions absent) {
        if (text == null) {
            return absent;
        }
        final String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty version range");
        }
        if (s.equals("none")) {
            return NONE;
        }
        try {
            if (s.endsWith("+")) {
                return of(Integer.parseInt(s.substring(0, s.length() - 1)), MAX);
            }
            final int dash = s.indexOf('-');
            if (dash > 0) {
                final int lo = Integer.parseInt(s.substring(0, dash));
                final int hi = Integer.parseInt(s.substring(dash + 1));
                if (lo > hi) {
                    throw new IllegalArgumentException("inverted version range: " + s);
                }
                return of(lo, hi);
            }
            final int v = Integer.parseInt(s);
            return of(v, v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad version range: " + s, e);
        }
    }

    public short lowest() {
        return lowest;
    }

    public short highest() {
        return highest;
    }

    public boolean isEmpty() {
        return lowest > highest;
    }

    public boolean contains(int version) {
        return version >= lowest && version <= highest;
    }

    /** True when every version of {@code other} is in this range (the empty range is in every range). */
    public boolean contains(Versions other) {
        return other.isEmpty() || (other.lowest >= lowest && other.highest <= highest);
    }

    public Versions intersect(Versions other) {
        return of(Math.max(lowest, other.lowest), Math.min(highest, other.highest));
    }

    /** The smallest range holding both. */
    public Versions span(Versions other) {
        if (isEmpty()) {
            return other;
        }
        if (other.isEmpty()) {
            return this;
        }
        return of(Math.min(lowest, other.lowest), Math.max(highest, other.highest));
    }

    /**
     * This range without {@code other}. The result must be one range: removing a middle part is
     * rejected, since no spec needs it and a second range would complicate every caller.
     */
    public Versions subtract(Versions other) {
        final Versions common = intersect(other);
        if (common.isEmpty()) {
            return this;
        }
        final boolean keepLow = lowest < common.lowest;
        final boolean keepHigh = highest > common.highest;
        if (keepLow && keepHigh) {
            throw new IllegalArgumentException("removing " + other + " from " + this + " leaves two ranges");
        }
        if (keepLow) {
            return of(lowest, common.lowest - 1);
        }
        if (keepHigh) {
            return of(common.highest + 1, highest);
        }
        return NONE;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Versions)) {
            return false;
        }
        final Versions other = (Versions) o;
        return (isEmpty() && other.isEmpty()) || (lowest == other.lowest && highest == other.highest);
    }

    @Override
    public int hashCode() {
        return isEmpty() ? -1 : Objects.hash(lowest, highest);
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "none";
        }
        if (highest == MAX) {
            return lowest + "+";
        }
        return lowest == highest ? Short.toString(lowest) : lowest + "-" + highest;
    }
}

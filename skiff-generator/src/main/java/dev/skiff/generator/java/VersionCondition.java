package dev.skiff.generator.java;

import dev.skiff.generator.spec.Versions;

/**
 * Turns "is the version in this range?" into the shortest Java test, given what the surrounding code
 * already knows about the version.
 *
 * <p>Inside a struct that only exists in versions 9+, a field present in "9+" needs no test at all, and
 * one present in "3+" needs none either; a field in "0-12" needs {@code version <= 12}. The results
 * {@link #TRUE} and {@link #FALSE} let writers drop dead branches instead of emitting
 * {@code if (true)}.
 */
public final class VersionCondition {
    public static final String TRUE = "true";
    public static final String FALSE = "false";

    private VersionCondition() {
    }

    /** A boolean expression over {@code version} that is true exactly for {@code want}, within {@code known}. */
    public static String of(Versions want, Versions known) {
        final Versions common = want.intersect(known);
        if (common.isEmpty()) {
            return FALSE;
        }
        if (want.contains(known)) {
            return TRUE;
        }
        final boolean low = common.lowest() > known.lowest();
        final boolean high = common.highest() < known.highest();
        if (low && high) {
            if (common.lowest() == common.highest()) {
                return "version == " + common.lowest();
            }
            return "version >= " + common.lowest() + " && version <= " + common.highest();
        }
        return low ? "version >= " + common.lowest() : "version <= " + common.highest();
    }

    /** The negation of {@link #of}. */
    public static String not(Versions want, Versions known) {
        final String positive = of(want, known);
        if (positive.equals(TRUE)) {
            return FALSE;
        }
        if (positive.equals(FALSE)) {
            return TRUE;
        }
        final Versions common = want.intersect(known);
        final boolean low = common.lowest() > known.lowest();
        final boolean high = common.highest() < known.highest();
        if (low && high) {
            if (common.lowest() == common.highest()) {
                return "version != " + common.lowest();
            }
            return "version < " + common.lowest() + " || version > " + common.highest();
        }
        return low ? "version < " + common.lowest() : "version > " + common.highest();
    }

    /** {@code a && b} with constant folding; both must be expressions from this class. */
    public static String and(String a, String b) {
        if (a.equals(FALSE) || b.equals(FALSE)) {
            return FALSE;
        }
        if (a.equals(TRUE)) {
            return b;
        }
        if (b.equals(TRUE)) {
            return a;
        }
        return group(a) + " && " + group(b);
    }

    private static String group(String expression) {
        return expression.contains("||") ? "(" + expression + ")" : expression;
    }
}

package dev.skiff.generator.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.generator.spec.Versions;
import org.junit.jupiter.api.Test;

class VersionConditionTest {
    private static final Versions KNOWN = Versions.parse("3-13", null);

    private static String of(String want) {
        return VersionCondition.of(Versions.parse(want, null), KNOWN);
    }

    @Test
    void testsOnlyWhatTheContextLeavesOpen() {
        assertThat(of("0+")).isEqualTo(VersionCondition.TRUE);
        assertThat(of("3+")).isEqualTo(VersionCondition.TRUE);
        assertThat(of("0-2")).isEqualTo(VersionCondition.FALSE);
        assertThat(of("none")).isEqualTo(VersionCondition.FALSE);
        assertThat(of("9+")).isEqualTo("version >= 9");
        assertThat(of("0-12")).isEqualTo("version <= 12");
        assertThat(of("5-7")).isEqualTo("version >= 5 && version <= 7");
        assertThat(of("6")).isEqualTo("version == 6");
    }

    @Test
    void negationAndConjunction() {
        assertThat(VersionCondition.not(Versions.parse("5-7", null), KNOWN)).isEqualTo("version < 5 || version > 7");
        assertThat(VersionCondition.not(Versions.parse("0+", null), KNOWN)).isEqualTo(VersionCondition.FALSE);
        assertThat(VersionCondition.and("version >= 9", "x")).isEqualTo("version >= 9 && x");
        assertThat(VersionCondition.and(VersionCondition.TRUE, "x")).isEqualTo("x");
        assertThat(VersionCondition.and("a || b", "x")).isEqualTo("(a || b) && x");
        assertThat(VersionCondition.and(VersionCondition.FALSE, "x")).isEqualTo(VersionCondition.FALSE);
    }
}

package dev.skiff.generator.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionsTest {

    @Test
    void parsesEverySpecForm() {
        assertThat(Versions.parse("3+", null)).isEqualTo(Versions.of(3, Short.MAX_VALUE));
        assertThat(Versions.parse("0-12", null)).isEqualTo(Versions.of(0, 12));
        assertThat(Versions.parse("5", null)).isEqualTo(Versions.of(5, 5));
        assertThat(Versions.parse("none", null).isEmpty()).isTrue();
        assertThat(Versions.parse(null, Versions.ALL)).isSameAs(Versions.ALL);
        assertThatThrownBy(() -> Versions.parse("4-2", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Versions.parse("x", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyRangeLooksLikeKafkasRemovedApis() {
        assertThat(Versions.NONE.lowest()).isEqualTo((short) 0);
        assertThat(Versions.NONE.highest()).isEqualTo((short) -1);
        assertThat(Versions.NONE.contains(0)).isFalse();
        assertThat(Versions.of(3, 1)).isEqualTo(Versions.NONE);
    }

    @Test
    void setOperations() {
        final Versions v = Versions.parse("3-13", null);
        assertThat(v.intersect(Versions.parse("9+", null))).isEqualTo(Versions.of(9, 13));
        assertThat(v.intersect(Versions.parse("0-2", null)).isEmpty()).isTrue();
        assertThat(v.contains(Versions.of(4, 5))).isTrue();
        assertThat(v.contains(Versions.NONE)).isTrue();
        assertThat(v.contains(Versions.of(2, 5))).isFalse();
        assertThat(v.subtract(Versions.parse("12+", null))).isEqualTo(Versions.of(3, 11));
        assertThat(v.subtract(Versions.parse("0-5", null))).isEqualTo(Versions.of(6, 13));
        assertThat(v.subtract(Versions.ALL).isEmpty()).isTrue();
        assertThatThrownBy(() -> v.subtract(Versions.of(5, 6))).isInstanceOf(IllegalArgumentException.class);
        assertThat(v.span(Versions.of(15, 16))).isEqualTo(Versions.of(3, 16));
        assertThat(v.toString()).isEqualTo("3-13");
        assertThat(Versions.parse("9+", null).toString()).isEqualTo("9+");
    }
}

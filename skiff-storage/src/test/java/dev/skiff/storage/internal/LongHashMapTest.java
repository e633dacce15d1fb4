package dev.skiff.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class LongHashMapTest {

    /** Random puts and removes over a small key space (so probe runs collide) behave like a HashMap. */
    @Property(tries = 300)
    void behavesLikeAHashMap(@ForAll @Size(max = 400) List<@LongRange(min = -40, max = 40) Long> keys,
                             @ForAll @Size(max = 400) List<Boolean> removes) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> check(keys, removes));
    }

    private static void check(List<Long> keys, List<Boolean> removes) {
        final LongHashMap<String> map = new LongHashMap<>();
        final Map<Long, String> oracle = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            final long key = keys.get(i) * 1_000_003L;
            if (i < removes.size() && removes.get(i)) {
                assertThat(map.remove(key)).isEqualTo(oracle.remove(key));
            } else {
                assertThat(map.put(key, "v" + i)).isEqualTo(oracle.put(key, "v" + i));
            }
            assertThat(map.size()).isEqualTo(oracle.size());
        }
        for (long k = -41; k <= 41; k++) {
            assertThat(map.get(k * 1_000_003L)).isEqualTo(oracle.get(k * 1_000_003L));
        }
        final List<String> values = new ArrayList<>();
        map.forEachValue(values::add);
        assertThat(values).containsExactlyInAnyOrderElementsOf(oracle.values());

        final int removed = map.removeIf(v -> v.hashCode() % 2 == 0);
        oracle.values().removeIf(v -> v.hashCode() % 2 == 0);
        assertThat(map.size()).isEqualTo(oracle.size()).isEqualTo(values.size() - removed);
        for (Map.Entry<Long, String> e : oracle.entrySet()) {
            assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
        }
    }
}

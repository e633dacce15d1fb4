package dev.skiff.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OffsetMapTest {
    private static ByteBuffer key(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsTheHighestOffsetPerKeyExactlyThroughGrowth() {
        final OffsetMap map = new OffsetMap();
        final Map<String, Long> expected = new HashMap<>();
        final Random random = new Random(7);
        for (long offset = 0; offset < 50_000; offset++) {
            final String k = "key-" + random.nextInt(5_000) + (random.nextBoolean() ? "" : "-long-suffix");
            map.put(key(k), offset);
            expected.put(k, offset);
        }
        final String some = expected.keySet().iterator().next();
        map.put(key(some), 0);
        assertThat(map.size()).isEqualTo(expected.size());
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            assertThat(map.get(key(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(map.get(key("absent"))).isEqualTo(-1);
        assertThat(map.memoryBytes()).isPositive();
    }

    @Test
    void keysAreComparedByContentWhateverTheBufferPosition() {
        final OffsetMap map = new OffsetMap();
        final ByteBuffer framed = ByteBuffer.wrap("xxabcyy".getBytes(StandardCharsets.UTF_8));
        framed.position(2).limit(5);
        map.put(framed, 10);
        assertThat(framed.position()).as("not consumed").isEqualTo(2);
        assertThat(map.get(key("abc"))).isEqualTo(10);
        assertThat(map.get(key(""))).isEqualTo(-1);
        map.put(key(""), 3);
        assertThat(map.get(key(""))).isEqualTo(3);
        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.get(key("abc"))).isEqualTo(-1);
    }
}

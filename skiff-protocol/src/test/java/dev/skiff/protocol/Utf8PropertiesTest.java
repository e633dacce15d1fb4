package dev.skiff.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

/** {@link Utf8} must agree with the JDK's encoder, which is what Kafka uses, on every string. */
class Utf8PropertiesTest {

    @Property(tries = 2000)
    void lengthAndBytesMatchTheJdk(@ForAll @StringLength(max = 40) @CharRange(from = 0, to = 0xFFFF) String s) {
        final byte[] expected = s.getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.encodedLength(s)).isEqualTo(expected.length);
        final ByteBuffer buf = ByteBuffer.allocate(expected.length);
        Utf8.encode(s, buf);
        assertThat(buf.array()).isEqualTo(expected);
    }

    @Property(tries = 500)
    void surrogatePairsAndLoneSurrogatesMatchTheJdk(@ForAll @StringLength(max = 12)
                                                    @CharRange(from = 0xD7F0, to = 0xE010) String s) {
        final byte[] expected = s.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer buf = ByteBuffer.allocate(Utf8.encodedLength(s));
        Utf8.encode(s, buf);
        assertThat(buf.array()).isEqualTo(expected);
    }
}

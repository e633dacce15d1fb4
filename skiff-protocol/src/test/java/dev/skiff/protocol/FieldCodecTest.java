package dev.skiff.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldCodecTest {

    private static ByteBuffer write(java.util.function.Consumer<Writable> writer) {
        final ByteBuffer buf = ByteBuffer.allocate(64);
        writer.accept(new ByteBufferAccessor(buf));
        return buf.flip();
    }

    @Test
    void classicAndCompactStringEncodings() {
        assertThat(write(o -> FieldCodec.writeString(o, "ab", false, false, "f")).array())
            .startsWith(0, 2, 'a', 'b');
        assertThat(write(o -> FieldCodec.writeString(o, "ab", true, false, "f")).array()).startsWith(3, 'a', 'b');
        assertThat(write(o -> FieldCodec.writeString(o, null, false, true, "f")).array()).startsWith(-1, -1);
        assertThat(write(o -> FieldCodec.writeString(o, null, true, true, "f")).array()).startsWith(0);
        assertThat(FieldCodec.sizeOfString("ab", false)).isEqualTo(4);
        assertThat(FieldCodec.sizeOfString("ab", true)).isEqualTo(3);
        assertThat(FieldCodec.sizeOfString(null, false)).isEqualTo(2);
        assertThat(FieldCodec.sizeOfString(null, true)).isEqualTo(1);
        assertThat(FieldCodec.readString(new ByteBufferAccessor(ByteBuffer.wrap(new byte[] {0})), true, true, "f"))
            .isNull();
    }

    @Test
    void stringsOverTheProtocolLimitAreNotWritten() {
        final String tooLong = "x".repeat(FieldCodec.MAX_STRING_LENGTH + 1);
        final Writable sink = new ByteBufferAccessor(ByteBuffer.allocate(40_000));
        assertThatThrownBy(() -> FieldCodec.writeString(sink, tooLong, true, false, "name"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    }

    @Test
    void nullWhereNotNullableIsRejectedBothWays() {
        final Writable sink = new ByteBufferAccessor(ByteBuffer.allocate(8));
        assertThatThrownBy(() -> FieldCodec.writeBytes(sink, null, true, false, "data"))
            .isInstanceOf(NullPointerException.class).hasMessageContaining("data");
        final Readable minusOne = new ByteBufferAccessor(ByteBuffer.allocate(4).putInt(0, -1));
        assertThatThrownBy(() -> FieldCodec.readBytes(minusOne, false, false, "data"))
            .isInstanceOf(DecodeException.class).hasMessageContaining("non-nullable");
    }

    @Test
    void arrayLengths() {
        assertThat(FieldCodec.sizeOfArrayLength(-1, true)).isEqualTo(1);
        assertThat(FieldCodec.sizeOfArrayLength(200, true)).isEqualTo(2);
        assertThat(FieldCodec.sizeOfArrayLength(200, false)).isEqualTo(4);
        assertThat(write(o -> assertThat(FieldCodec.writeArrayLength(o, null, true, true, "a")).isFalse()).array())
            .startsWith(0);
        assertThat(write(o -> assertThat(FieldCodec.writeArrayLength(o, List.of(1), false, false, "a")).isTrue())
            .array()).startsWith(0, 0, 0, 1);
        assertThat(FieldCodec.initialCapacity(5)).isEqualTo(5);
        assertThat(FieldCodec.initialCapacity(1_000_000)).isLessThan(10_000);
    }

    @Test
    void unknownTaggedFieldsInterleaveByTag() {
        final List<RawTaggedField> raw = new ArrayList<>(List.of(new RawTaggedField(1, new byte[] {7}),
            new RawTaggedField(5, new byte[0])));
        final ByteBuffer buf = ByteBuffer.allocate(16);
        final ByteBufferAccessor out = new ByteBufferAccessor(buf);
        int next = FieldCodec.writeUnknownTaggedFields(out, raw, 0, 3);
        assertThat(next).isEqualTo(1);
        next = FieldCodec.writeUnknownTaggedFields(out, raw, next, Integer.MAX_VALUE);
        assertThat(next).isEqualTo(2);
        assertThat(buf.position()).isEqualTo(FieldCodec.sizeOfUnknownTaggedFields(raw)).isEqualTo(5);
        assertThat(FieldCodec.unknownTaggedFieldsEqual(null, new ArrayList<>())).isTrue();
        assertThat(FieldCodec.unknownTaggedFieldsEqual(raw, null)).isFalse();
    }

    @Test
    void unsignedRangeChecks() {
        FieldCodec.checkUnsignedShort(0, "p");
        FieldCodec.checkUnsignedInt(0xFFFFFFFFL, "p");
        assertThatThrownBy(() -> FieldCodec.checkUnsignedShort(-1, "p")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldCodec.checkUnsignedInt(1L << 32, "p"))
            .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.skiff.protocol.record;

import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.Varints;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.common.utils.internals.ByteUtils;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Round trips, sizes and malformed input for {@link Varints}, with Kafka's ByteUtils as the oracle. */
class VarintsTest {

    @Property
    void varintRoundTripsAndSizeMatchesBytesWritten(@ForAll int value) {
        final ByteBuffer buf = ByteBuffer.allocate(5);
        Varints.writeVarint(value, buf);
        assertThat(buf.position()).isEqualTo(Varints.sizeOfVarint(value));
        buf.flip();
        assertThat(Varints.readVarint(buf)).isEqualTo(value);
        assertThat(buf.hasRemaining()).isFalse();
        assertThat(bytes(buf)).isEqualTo(kafkaVarint(value));
    }

    @Property
    void varlongRoundTripsAndSizeMatchesBytesWritten(@ForAll long value) {
        final ByteBuffer buf = ByteBuffer.allocate(10);
        Varints.writeVarlong(value, buf);
        assertThat(buf.position()).isEqualTo(Varints.sizeOfVarlong(value));
        buf.flip();
        assertThat(Varints.readVarlong(buf)).isEqualTo(value);
        assertThat(buf.hasRemaining()).isFalse();
        assertThat(bytes(buf)).isEqualTo(kafkaVarlong(value));
    }

    @Property
    void unsignedVarintRoundTripsAndSizeMatchesBytesWritten(@ForAll int value) {
        final ByteBuffer buf = ByteBuffer.allocate(5);
        Varints.writeUnsignedVarint(value, buf);
        assertThat(buf.position()).isEqualTo(Varints.sizeOfUnsignedVarint(value));
        buf.flip();
        assertThat(Varints.readUnsignedVarint(buf)).isEqualTo(value);
        final ByteBuffer kafka = ByteBuffer.allocate(5);
        ByteUtils.writeUnsignedVarint(value, kafka);
        assertThat(bytes(buf)).isEqualTo(Arrays.copyOf(kafka.array(), kafka.position()));
    }

    @Property
    void unsignedVarlongRoundTripsAndSizeMatchesBytesWritten(@ForAll long value) {
        final ByteBuffer buf = ByteBuffer.allocate(10);
        Varints.writeUnsignedVarlong(value, buf);
        assertThat(buf.position()).isEqualTo(Varints.sizeOfUnsignedVarlong(value));
        buf.flip();
        assertThat(Varints.readUnsignedVarlong(buf)).isEqualTo(value);
    }

    @Example
    void extremesUseTheDocumentedWidths() {
        assertThat(Varints.sizeOfVarint(0)).isEqualTo(1);
        assertThat(Varints.sizeOfVarint(-1)).isEqualTo(1);
        assertThat(Varints.sizeOfVarint(63)).isEqualTo(1);
        assertThat(Varints.sizeOfVarint(64)).isEqualTo(2);
        assertThat(Varints.sizeOfVarint(Integer.MAX_VALUE)).isEqualTo(5);
        assertThat(Varints.sizeOfVarint(Integer.MIN_VALUE)).isEqualTo(5);
        assertThat(Varints.sizeOfVarlong(Long.MAX_VALUE)).isEqualTo(10);
        assertThat(Varints.sizeOfVarlong(Long.MIN_VALUE)).isEqualTo(10);
        assertThat(Varints.sizeOfUnsignedVarint(-1)).isEqualTo(5);
        assertThat(Varints.sizeOfUnsignedVarlong(-1L)).isEqualTo(10);
        for (int v : new int[]{Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 1}) {
            final ByteBuffer buf = ByteBuffer.allocate(5);
            Varints.writeVarint(v, buf);
            buf.flip();
            assertThat(Varints.readVarint(buf)).isEqualTo(v);
        }
        for (long v : new long[]{Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1}) {
            final ByteBuffer buf = ByteBuffer.allocate(10);
            Varints.writeVarlong(v, buf);
            buf.flip();
            assertThat(Varints.readVarlong(buf)).isEqualTo(v);
        }
    }

    @Property
    void everyTruncationOfAVarlongIsADecodeException(@ForAll long value) {
        final ByteBuffer buf = ByteBuffer.allocate(10);
        Varints.writeVarlong(value, buf);
        final byte[] encoded = bytes(buf.flip());
        for (int cut = 0; cut < encoded.length; cut++) {
            final ByteBuffer truncated = ByteBuffer.wrap(encoded, 0, cut);
            assertThatThrownBy(() -> Varints.readVarlong(truncated)).isInstanceOf(DecodeException.class);
        }
    }

    @Property
    void everyTruncationOfAVarintIsADecodeException(@ForAll int value) {
        final ByteBuffer buf = ByteBuffer.allocate(5);
        Varints.writeVarint(value, buf);
        final byte[] encoded = bytes(buf.flip());
        for (int cut = 0; cut < encoded.length; cut++) {
            final ByteBuffer truncated = ByteBuffer.wrap(encoded, 0, cut);
            assertThatThrownBy(() -> Varints.readVarint(truncated)).isInstanceOf(DecodeException.class);
        }
    }

    @Example
    void overLongVarintIsADecodeException() {
        final byte[] six = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        assertThatThrownBy(() -> Varints.readVarint(ByteBuffer.wrap(six)))
                .isInstanceOf(DecodeException.class).hasMessageContaining("longer than 5 bytes");
        assertThatThrownBy(() -> Varints.readUnsignedVarint(ByteBuffer.wrap(six)))
                .isInstanceOf(DecodeException.class);
    }

    @Example
    void overLongVarlongIsADecodeException() {
        final byte[] eleven = new byte[11];
        Arrays.fill(eleven, (byte) 0xFF);
        eleven[10] = 0x01;
        assertThatThrownBy(() -> Varints.readVarlong(ByteBuffer.wrap(eleven)))
                .isInstanceOf(DecodeException.class).hasMessageContaining("longer than 10 bytes");
        assertThatThrownBy(() -> Varints.readUnsignedVarlong(ByteBuffer.wrap(eleven)))
                .isInstanceOf(DecodeException.class);
    }

    @Example
    void emptyInputIsADecodeException() {
        assertThatThrownBy(() -> Varints.readVarint(ByteBuffer.allocate(0))).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> Varints.readVarlong(ByteBuffer.allocate(0))).isInstanceOf(DecodeException.class);
    }

    private static byte[] kafkaVarint(int value) {
        final ByteBuffer buf = ByteBuffer.allocate(5);
        ByteUtils.writeVarint(value, buf);
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private static byte[] kafkaVarlong(long value) {
        final ByteBuffer buf = ByteBuffer.allocate(10);
        ByteUtils.writeVarlong(value, buf);
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private static byte[] bytes(ByteBuffer buf) {
        final ByteBuffer dup = buf.duplicate();
        dup.position(0);
        final byte[] out = new byte[dup.limit()];
        dup.get(out);
        return out;
    }
}

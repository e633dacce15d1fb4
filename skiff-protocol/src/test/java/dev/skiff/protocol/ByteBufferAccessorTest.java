package dev.skiff.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.protocol.record.MemoryRecords;
import dev.skiff.protocol.record.Records;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ByteBufferAccessorTest {

    @Test
    void primitivesRoundTripBigEndian() {
        final ByteBuffer buf = ByteBuffer.allocate(64);
        final ByteBufferAccessor out = new ByteBufferAccessor(buf);
        final UUID id = new UUID(0x0102030405060708L, -2L);
        out.writeByte((byte) -5);
        out.writeShort((short) 0x1234);
        out.writeInt(-70_000);
        out.writeLong(Long.MIN_VALUE);
        out.writeDouble(2.5);
        out.writeUuid(id);
        out.writeUnsignedShort(65_535);
        out.writeUnsignedInt(4_000_000_000L);
        out.writeUnsignedVarint(300);
        out.writeVarint(-3);
        out.writeVarlong(-1L << 40);
        buf.flip();
        assertThat(buf.getShort(1)).isEqualTo((short) 0x1234);
        final ByteBufferAccessor in = new ByteBufferAccessor(buf);
        assertThat(in.readByte()).isEqualTo((byte) -5);
        assertThat(in.readShort()).isEqualTo((short) 0x1234);
        assertThat(in.readInt()).isEqualTo(-70_000);
        assertThat(in.readLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(in.readDouble()).isEqualTo(2.5);
        assertThat(in.readUuid()).isEqualTo(id);
        assertThat(in.readUnsignedShort()).isEqualTo(65_535);
        assertThat(in.readUnsignedInt()).isEqualTo(4_000_000_000L);
        assertThat(in.readUnsignedVarint()).isEqualTo(300);
        assertThat(in.readVarint()).isEqualTo(-3);
        assertThat(in.readVarlong()).isEqualTo(-1L << 40);
        assertThat(in.remaining()).isZero();
    }

    @Test
    void everyReadOfTruncatedInputThrowsDecodeException() {
        final List<Consumer<ByteBufferAccessor>> reads = List.of(
            ByteBufferAccessor::readShort, ByteBufferAccessor::readInt, ByteBufferAccessor::readLong,
            ByteBufferAccessor::readDouble, ByteBufferAccessor::readUuid, ByteBufferAccessor::readUnsignedShort,
            ByteBufferAccessor::readUnsignedInt, a -> a.readArray(2), a -> a.readByteBuffer(2),
            a -> a.readString(2), a -> a.readRecords(2), a -> a.readArray(-1));
        for (Consumer<ByteBufferAccessor> read : reads) {
            final ByteBufferAccessor oneByte = new ByteBufferAccessor(ByteBuffer.wrap(new byte[] {1}));
            assertThatThrownBy(() -> read.accept(oneByte)).isExactlyInstanceOf(DecodeException.class);
        }
        final ByteBufferAccessor empty = new ByteBufferAccessor(ByteBuffer.allocate(0));
        assertThatThrownBy(empty::readByte).isExactlyInstanceOf(DecodeException.class);
        assertThatThrownBy(empty::readUnsignedVarint).isExactlyInstanceOf(DecodeException.class);
        assertThatThrownBy(empty::readVarint).isExactlyInstanceOf(DecodeException.class);
        assertThatThrownBy(empty::readVarlong).isExactlyInstanceOf(DecodeException.class);
    }

    @Test
    void byteBuffersAndRecordsAreSlicesOfTheInput() {
        final byte[] data = {9, 8, 7, 6, 5};
        final ByteBufferAccessor in = new ByteBufferAccessor(ByteBuffer.wrap(data));
        in.readByte();
        final ByteBuffer slice = in.readByteBuffer(2);
        final Records records = in.readRecords(2);
        assertThat(slice.remaining()).isEqualTo(2);
        data[1] = 100;
        assertThat(slice.get(0)).as("shares memory").isEqualTo((byte) 100);
        assertThat(records.sizeInBytes()).isEqualTo(2);
        assertThat(((MemoryRecords) records).buffer().get(0)).isEqualTo((byte) 6);
        assertThat(in.remaining()).isZero();
    }

    @Test
    void stringsAreUtf8() {
        final ByteBuffer buf = ByteBuffer.allocate(32);
        final ByteBufferAccessor out = new ByteBufferAccessor(buf);
        out.writeUtf8("é€\uD83D\uDE00");
        buf.flip();
        assertThat(buf.remaining()).isEqualTo(2 + 3 + 4);
        assertThat(new ByteBufferAccessor(buf).readString(9)).isEqualTo("é€\uD83D\uDE00");
        final ByteBuffer direct = ByteBuffer.allocateDirect(4).put(new byte[] {'a', 'b', 'c', 'd'}).flip();
        assertThat(new ByteBufferAccessor(direct).readString(3)).isEqualTo("abc");
    }

    @Test
    void writingByteBuffersLeavesTheSourceAlone() {
        final ByteBuffer source = ByteBuffer.wrap(new byte[] {1, 2, 3});
        final ByteBuffer buf = ByteBuffer.allocate(3);
        new ByteBufferAccessor(buf).writeByteBuffer(source);
        assertThat(source.position()).isZero();
        assertThat(buf.array()).containsExactly(1, 2, 3);
    }

    @Test
    void onlyMemoryRecordsCanBeWrittenIntoABuffer() {
        final ByteBufferAccessor out = new ByteBufferAccessor(ByteBuffer.allocate(8));
        out.writeRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(new byte[] {1, 2})));
        assertThat(out.buffer().position()).isEqualTo(2);
        final Records fileLike = () -> 4;
        assertThatThrownBy(() -> out.writeRecords(fileLike)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("MemoryRecords");
    }
}

package dev.skiff.protocol.record;

import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.Varints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import static dev.skiff.protocol.record.TestBatches.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RecordReader} views, and a {@link DecodeException} naming the fault for every malformed record. */
class RecordReaderTest {

    /** A batch whose records section is exactly what {@code records} writes, declaring {@code count} records. */
    private static ByteBuffer rawBatch(int count, Consumer<ByteBuffer> records) {
        final ByteBuffer section = ByteBuffer.allocate(1024);
        records.accept(section);
        section.flip();
        final ByteBuffer b = ByteBuffer.allocate(BatchHeader.HEADER_SIZE + section.remaining());
        b.putLong(0L).putInt(b.capacity() - BatchHeader.LOG_OVERHEAD).putInt(-1).put(BatchHeader.MAGIC_V2).putInt(0)
                .putShort((short) 0).putInt(count - 1).putLong(100L).putLong(100L).putLong(-1L).putShort((short) -1)
                .putInt(-1).putInt(count).put(section).flip();
        TestBatches.fixCrc(b, 0);
        return b;
    }

    /** Writes one record with the given raw field values; lengths are written as given. */
    private static void record(ByteBuffer out, int keyLength, byte[] key, int valueLength, byte[] value,
                               int headerCount) {
        final ByteBuffer body = ByteBuffer.allocate(512);
        body.put((byte) 0);
        Varints.writeVarlong(0, body);
        Varints.writeVarint(0, body);
        Varints.writeVarint(keyLength, body);
        body.put(key);
        Varints.writeVarint(valueLength, body);
        body.put(value);
        Varints.writeVarint(headerCount, body);
        body.flip();
        Varints.writeVarint(body.remaining(), out);
        out.put(body);
    }

    private static void readAll(ByteBuffer batch) {
        final RecordReader reader = new RecordReader().open(batch, 0);
        while (reader.next()) {
            reader.key();
        }
    }

    @Test
    void wellFormedRawBatchReads() {
        final ByteBuffer b = rawBatch(1, out -> record(out, 1, utf8("k"), 2, utf8("vv"), 0));
        final RecordReader reader = new RecordReader().open(b, 0);
        assertThat(reader.next()).isTrue();
        assertThat(reader.offset()).isZero();
        assertThat(reader.timestamp()).isEqualTo(100L);
        assertThat(TestBatches.hex(reader.key())).isEqualTo(TestBatches.hex(utf8("k")));
        assertThat(reader.next()).isFalse();
    }

    @Test
    void keyLengthBelowMinusOneIsRejected() {
        final ByteBuffer b = rawBatch(1, out -> record(out, -2, new byte[0], 0, new byte[0], 0));
        assertThatThrownBy(() -> readAll(b)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("record 0 of 1").hasMessageContaining("key length -2");
    }

    @Test
    void valueLengthBeyondTheRecordIsRejected() {
        final ByteBuffer b = rawBatch(1, out -> record(out, -1, new byte[0], 50, new byte[3], 0));
        assertThatThrownBy(() -> readAll(b)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("value length 50");
    }

    @Test
    void negativeHeaderCountIsRejected() {
        final ByteBuffer b = rawBatch(1, out -> record(out, -1, new byte[0], -1, new byte[0], -3));
        assertThatThrownBy(() -> readAll(b)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("header count -3");
    }

    @Test
    void recordLengthShorterThanItsFieldsIsRejected() {
        final ByteBuffer b = rawBatch(1, out -> {
            Varints.writeVarint(3, out);
            out.put(new byte[]{0, 0, 0});
        });
        assertThatThrownBy(() -> readAll(b)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("record length 3");
    }

    @Test
    void recordLengthLongerThanItsFieldsIsRejected() {
        final ByteBuffer b = rawBatch(1, out -> {
            Varints.writeVarint(8, out);
            out.put(new byte[]{0, 0, 0, 1, 1, 0, 9, 9});
        });
        assertThatThrownBy(() -> readAll(b)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("fields end 2 bytes earlier");
    }

    @Test
    void fewerRecordsThanDeclaredIsRejected() {
        final ByteBuffer b = rawBatch(3, out -> {
            record(out, -1, new byte[0], -1, new byte[0], 0);
            record(out, -1, new byte[0], -1, new byte[0], 0);
        });
        assertThatThrownBy(() -> readAll(b)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("declares 3 records but holds only 2");
    }

    @Test
    void bytesAfterTheDeclaredRecordsAreRejected() {
        final ByteBuffer b = rawBatch(1, out -> {
            record(out, -1, new byte[0], -1, new byte[0], 0);
            out.put((byte) 7);
        });
        assertThatThrownBy(() -> readAll(b)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("1 bytes follow the 1 records");
    }

    @Test
    void unreadableBatchHeadersAreRejectedOnOpen() {
        final ByteBuffer good = TestBatches.build(CompressionType.NONE,
                java.util.List.of(new TestBatches.Input(1L, null, utf8("v")))).buffer();
        final RecordReader reader = new RecordReader();

        final ByteBuffer magic = ByteBuffer.wrap(TestBatches.toArray(good));
        magic.put(BatchHeader.MAGIC_OFFSET, (byte) 1);
        assertThatThrownBy(() -> reader.open(magic, 0)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("magic");

        final ByteBuffer codec = ByteBuffer.wrap(TestBatches.toArray(good));
        codec.putShort(BatchHeader.ATTRIBUTES_OFFSET, (short) 7);
        assertThatThrownBy(() -> reader.open(codec, 0)).hasMessageContaining("codec id 7");

        final ByteBuffer length = ByteBuffer.wrap(TestBatches.toArray(good));
        length.putInt(BatchHeader.LENGTH_OFFSET, length.getInt(BatchHeader.LENGTH_OFFSET) + 1);
        assertThatThrownBy(() -> reader.open(length, 0)).hasMessageContaining("batchLength");

        final ByteBuffer count = ByteBuffer.wrap(TestBatches.toArray(good));
        count.putInt(BatchHeader.RECORD_COUNT_OFFSET, -1);
        assertThatThrownBy(() -> reader.open(count, 0)).hasMessageContaining("negative record count");

        assertThatThrownBy(() -> reader.open(ByteBuffer.allocate(20), 0)).isInstanceOf(DecodeException.class);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void garbageCompressedSectionIsADecodeException(CompressionType type) {
        final ByteBuffer plain = TestBatches.build(CompressionType.NONE,
                java.util.List.of(new TestBatches.Input(1L, null, utf8("v")))).buffer();
        final byte[] garbage = new byte[64];
        new java.util.Random(type.id()).nextBytes(garbage);
        final ByteBuffer batch = TestBatches.rewrap(plain, type.id(), garbage);
        assertThatThrownBy(() -> readAll(batch)).isInstanceOf(DecodeException.class);
    }

    @Test
    void keyAndValueViewsAreRepointedPerRecordAndHeadersAreCopied() {
        final RecordBatchBuilder builder = RecordBatchBuilder.growing(64, 1 << 20, CompressionType.ZSTD);
        builder.append(10L, ByteBuffer.wrap(utf8("k1")), ByteBuffer.wrap(utf8("v1")),
                new Header[]{new Header("a", utf8("x")), new Header("b", null)});
        builder.append(12L, null, ByteBuffer.wrap(utf8("value-2")), null);
        final RecordReader reader = new RecordReader().open(builder.build().buffer(), 0);

        assertThat(reader.next()).isTrue();
        assertThat(reader.keySize()).isEqualTo(2);
        final ByteBuffer key = reader.key();
        key.get(); // a caller consuming the view must not disturb the next call
        assertThat(reader.key().remaining()).isEqualTo(2);
        assertThat(reader.headerCount()).isEqualTo(2);
        assertThat(reader.headerKey(0)).isEqualTo("a");
        assertThat(reader.headerValue(1)).isNull();
        assertThat(reader.headers()).containsExactly(new Header("a", utf8("x")), new Header("b", null));
        assertThatThrownBy(() -> reader.headerKey(2)).isInstanceOf(IndexOutOfBoundsException.class);

        assertThat(reader.next()).isTrue();
        assertThat(reader.hasKey()).isFalse();
        assertThat(reader.key()).isNull();
        assertThat(reader.offsetDelta()).isEqualTo(1);
        assertThat(reader.timestamp()).isEqualTo(12L);
        assertThat(TestBatches.hex(reader.value())).isEqualTo(TestBatches.hex(utf8("value-2")));
        assertThat(reader.headerCount()).isZero();
        assertThat(reader.next()).isFalse();
    }

    @Test
    void readsFromDirectAndReadOnlyBuffersAtAnOffset() {
        final ByteBuffer batch = TestBatches.build(CompressionType.GZIP,
                java.util.List.of(new TestBatches.Input(5L, utf8("k"), utf8("v")))).buffer();
        final ByteBuffer direct = ByteBuffer.allocateDirect(batch.remaining() + 3);
        direct.position(3);
        direct.put(batch.duplicate());
        final RecordReader reader = new RecordReader().open(direct.asReadOnlyBuffer(), 3);
        assertThat(reader.next()).isTrue();
        assertThat(TestBatches.hex(reader.value())).isEqualTo(TestBatches.hex(utf8("v")));
        assertThat(reader.next()).isFalse();
    }

    @Test
    void nextBeforeOpenIsAnIllegalState() {
        assertThatThrownBy(() -> new RecordReader().next()).isInstanceOf(IllegalStateException.class);
    }
}

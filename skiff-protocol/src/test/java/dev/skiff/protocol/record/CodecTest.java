package dev.skiff.protocol.record;

import dev.skiff.protocol.DecodeException;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each codec against its reference library, its format variants, and damaged or oversized input. */
class CodecTest {
    private static final byte[] DATA = data(200_000);

    private static byte[] data(int size) {
        final byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        for (int i = 0; i < size; i += 3) {
            data[i] = (byte) (i % 5);
        }
        return data;
    }

    private static byte[] compress(CompressionType type, byte[] data) {
        final ByteArrayOutput out = new ByteArrayOutput(16, ByteArrayOutput.MAX_ARRAY_SIZE);
        type.codec().compress(data, 0, data.length, out);
        return Arrays.copyOf(out.array(), out.size());
    }

    private static byte[] decompress(CompressionType type, byte[] compressed, int max) {
        final ByteArrayOutput out = new ByteArrayOutput(16, max);
        type.codec().decompress(ByteBuffer.wrap(compressed), out);
        return Arrays.copyOf(out.array(), out.size());
    }

    private static byte[] decompress(CompressionType type, byte[] compressed) {
        return decompress(type, compressed, ByteArrayOutput.MAX_ARRAY_SIZE);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void roundTripsFromHeapAndDirectBuffersWithoutMovingThem(CompressionType type) {
        final byte[] compressed = compress(type, DATA);
        assertThat(decompress(type, compressed)).isEqualTo(DATA);
        final ByteBuffer direct = ByteBuffer.allocateDirect(compressed.length + 7);
        direct.position(7);
        direct.put(compressed).position(7);
        final ByteArrayOutput out = new ByteArrayOutput(16, ByteArrayOutput.MAX_ARRAY_SIZE);
        type.codec().decompress(direct, out);
        assertThat(Arrays.copyOf(out.array(), out.size())).isEqualTo(DATA);
        assertThat(direct.position()).isEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void inflatingPastTheCeilingIsADecodeException(CompressionType type) {
        final byte[] zeros = new byte[4 << 20];
        final byte[] bomb = compress(type, zeros);
        assertThatThrownBy(() -> decompress(type, bomb, 1 << 20))
                .isInstanceOf(DecodeException.class).hasMessageContaining("limit");
        assertThat(decompress(type, bomb, 4 << 20)).hasSize(zeros.length);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void garbageIsADecodeException(CompressionType type) {
        final byte[] garbage = new byte[500];
        new Random(1).nextBytes(garbage);
        assertThatThrownBy(() -> decompress(type, garbage)).isInstanceOf(DecodeException.class);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyTruncationIsADecodeExceptionOrAShorterOutput(CompressionType type) {
        final byte[] compressed = compress(type, Arrays.copyOf(DATA, 3000));
        for (int cut = 0; cut < compressed.length; cut++) {
            final byte[] truncated = Arrays.copyOf(compressed, cut);
            try {
                // zstd streams may end quietly at a block boundary: then the output must be short.
                assertThat(decompress(type, truncated).length).isLessThan(3000);
            } catch (DecodeException expected) {
                // the usual outcome
            }
        }
    }

    @Test
    void lz4FramesWeWriteAreValidForTheReferenceFrameReader() throws IOException {
        final byte[] ours = compress(CompressionType.LZ4, DATA);
        try (LZ4FrameInputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(ours))) {
            assertThat(in.readAllBytes()).isEqualTo(DATA);
        }
        // Kafka's choices: version 1, independent blocks, no checksums, 64 KiB blocks.
        assertThat(ours[4]).isEqualTo((byte) 0x60);
        assertThat(ours[5]).isEqualTo((byte) 0x40);
    }

    @Test
    void lz4FramesWithContentSizeChecksumsAndLargeBlocksAreRead() throws IOException {
        for (BLOCKSIZE size : BLOCKSIZE.values()) {
            final ByteArrayOutputStream frame = new ByteArrayOutputStream();
            try (OutputStream out = new LZ4FrameOutputStream(frame, size, DATA.length, Bits.BLOCK_INDEPENDENCE,
                    Bits.CONTENT_SIZE, Bits.CONTENT_CHECKSUM, Bits.BLOCK_CHECKSUM)) {
                out.write(DATA);
            }
            assertThat(decompress(CompressionType.LZ4, frame.toByteArray())).as(size.toString()).isEqualTo(DATA);
        }
    }

    @Test
    void lz4IncompressibleBlocksAreStoredAndRead() {
        final byte[] random = new byte[100_000];
        new Random(3).nextBytes(random);
        final byte[] ours = compress(CompressionType.LZ4, random);
        assertThat(ours[7 + 3] & 0x80).as("first block flagged as stored").isEqualTo(0x80);
        assertThat(decompress(CompressionType.LZ4, ours)).isEqualTo(random);
    }

    @Test
    void lz4DamageIsReportedPrecisely() throws IOException {
        final byte[] ours = compress(CompressionType.LZ4, DATA);

        final byte[] badHc = ours.clone();
        badHc[6] ^= 1;
        assertThatThrownBy(() -> decompress(CompressionType.LZ4, badHc)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("header checksum");

        final byte[] badMagic = ours.clone();
        badMagic[0] ^= 1;
        assertThatThrownBy(() -> decompress(CompressionType.LZ4, badMagic)).hasMessageContaining("magic");

        final byte[] hugeBlock = ours.clone();
        hugeBlock[7 + 2] = 0x7F; // block size far beyond 64 KiB
        assertThatThrownBy(() -> decompress(CompressionType.LZ4, hugeBlock)).hasMessageContaining("exceeds");

        final ByteArrayOutputStream linked = new ByteArrayOutputStream();
        try (OutputStream out = new LZ4FrameOutputStream(linked, BLOCKSIZE.SIZE_64KB)) {
            out.write(DATA);
        }
        final byte[] linkedFrame = linked.toByteArray();
        if ((linkedFrame[4] & Lz4FrameCodec.FLG_BLOCK_INDEPENDENCE) == 0) {
            assertThatThrownBy(() -> decompress(CompressionType.LZ4, linkedFrame)).hasMessageContaining("linked");
        }

        final ByteArrayOutputStream checked = new ByteArrayOutputStream();
        try (OutputStream out = new LZ4FrameOutputStream(checked, BLOCKSIZE.SIZE_64KB, Bits.BLOCK_INDEPENDENCE,
                Bits.CONTENT_CHECKSUM, Bits.BLOCK_CHECKSUM)) {
            out.write(DATA);
        }
        final byte[] badContent = checked.toByteArray();
        badContent[badContent.length - 1] ^= 1;
        assertThatThrownBy(() -> decompress(CompressionType.LZ4, badContent)).hasMessageContaining("content checksum");
        final byte[] badBlock = checked.toByteArray();
        badBlock[7 + 4 + 10] ^= 1;
        assertThatThrownBy(() -> decompress(CompressionType.LZ4, badBlock)).hasMessageContaining("block checksum");
    }

    @Test
    void snappyStreamsWeWriteAreReadByXerialAndXerialsByUs() throws IOException {
        final byte[] ours = compress(CompressionType.SNAPPY, DATA);
        try (SnappyInputStream in = new SnappyInputStream(new ByteArrayInputStream(ours))) {
            assertThat(in.readAllBytes()).isEqualTo(DATA);
        }
        final ByteArrayOutputStream xerial = new ByteArrayOutputStream();
        try (SnappyOutputStream out = new SnappyOutputStream(xerial)) {
            out.write(DATA);
        }
        assertThat(decompress(CompressionType.SNAPPY, xerial.toByteArray())).isEqualTo(DATA);
    }

    @Test
    void snappyRawBlocksAndConcatenatedStreamsAreRead() throws IOException {
        final byte[] raw = Snappy.compress(Arrays.copyOf(DATA, 5000));
        assertThat(decompress(CompressionType.SNAPPY, raw)).isEqualTo(Arrays.copyOf(DATA, 5000));

        final byte[] first = compress(CompressionType.SNAPPY, Arrays.copyOf(DATA, 1000));
        final byte[] second = compress(CompressionType.SNAPPY, Arrays.copyOfRange(DATA, 1000, 50_000));
        final byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        assertThat(decompress(CompressionType.SNAPPY, both)).isEqualTo(Arrays.copyOf(DATA, 50_000));
    }

    @Test
    void snappyChunkLengthBeyondTheInputIsADecodeException() {
        final byte[] ours = compress(CompressionType.SNAPPY, Arrays.copyOf(DATA, 1000));
        ours[SnappyCodec.HEADER_SIZE] = 0x10;
        assertThatThrownBy(() -> decompress(CompressionType.SNAPPY, ours))
                .isInstanceOf(DecodeException.class).hasMessageContaining("chunk length");
    }

    @Test
    void gzipConcatenatedMembersAreRead() throws IOException {
        final ByteArrayOutputStream two = new ByteArrayOutputStream();
        for (int i = 0; i < 2; i++) {
            try (GZIPOutputStream out = new GZIPOutputStream(two) {
                @Override
                public void close() throws IOException {
                    finish(); // keep the shared stream open for the next member
                }
            }) {
                out.write(DATA, i * 1000, 1000);
            }
        }
        assertThat(decompress(CompressionType.GZIP, two.toByteArray())).isEqualTo(Arrays.copyOf(DATA, 2000));
    }

    @Test
    void compressionTypeNamesAndIdsAreKafkas() {
        assertThat(CompressionType.forName("none")).isEqualTo(CompressionType.NONE);
        assertThat(CompressionType.forName("gzip").id()).isEqualTo(1);
        assertThat(CompressionType.forName("snappy").id()).isEqualTo(2);
        assertThat(CompressionType.forName("lz4").id()).isEqualTo(3);
        assertThat(CompressionType.forName("zstd").id()).isEqualTo(4);
        for (CompressionType type : CompressionType.values()) {
            assertThat(CompressionType.forId(type.id())).isSameAs(type);
            assertThat(CompressionType.forName(type.configName())).isSameAs(type);
            assertThat(org.apache.kafka.common.record.internal.CompressionType.forId(type.id()).name)
                    .isEqualTo(type.configName());
        }
        assertThatThrownBy(() -> CompressionType.forName("brotli")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("none, gzip, snappy, lz4, zstd");
        assertThatThrownBy(() -> CompressionType.forName("GZIP")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompressionType.forId(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 (zstd)");
        assertThatThrownBy(() -> CompressionType.forId(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.skiff.protocol.record;

import dev.skiff.protocol.DecodeException;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Snappy in the framing of xerial's {@code SnappyOutputStream}, which is what Kafka writes and reads
 * for compression id 2 (librdkafka writes the same framing for Kafka's sake).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+-----------------------------------------------+
 * |     0x82      |  'S'  'N'  'A'                                |  magic, 8 bytes
 * |  'P'  'P'  'Y'                                |     0x00      |
 * +---------------------------------------------------------------+
 * |                 version (int32 BE) = 1                        |
 * +---------------------------------------------------------------+
 * |            compatible version (int32 BE) = 1                  |
 * +===============================================================+
 * |               chunk length (int32 BE)                         |  repeated until the end:
 * +---------------------------------------------------------------+  one raw snappy block of at
 * |               raw snappy block ...                            |  most 32 KiB of input each
 * +---------------------------------------------------------------+
 * </pre>
 *
 * Reading follows xerial's stream where Kafka relies on it: input that does not start with the magic
 * is one raw snappy block, and a magic found where a chunk length is expected starts a concatenated
 * stream. Chunks are decoded here rather than through {@code SnappyInputStream} so that lengths are
 * checked against the bytes present before anything is allocated.
 */
final class SnappyCodec implements Codec {
    static final SnappyCodec INSTANCE = new SnappyCodec();

    static final byte[] MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    static final int HEADER_SIZE = MAGIC.length + 8;
    /** The first four magic bytes read as a chunk length: marks a concatenated stream. */
    static final int MAGIC_HEAD = 0x82534E41;
    static final int VERSION = 1;
    /** Input bytes per chunk; Kafka's default snappy block size. */
    static final int BLOCK_SIZE = 32 * 1024;

    private SnappyCodec() {
    }

    @Override
    public void compress(byte[] src, int offset, int length, ByteArrayOutput out) {
        out.write(MAGIC, 0, MAGIC.length);
        writeIntBe(out, VERSION);
        writeIntBe(out, VERSION);
        try {
            for (int done = 0; done < length; ) {
                final int n = Math.min(BLOCK_SIZE, length - done);
                out.require(4 + Snappy.maxCompressedLength(n));
                final int lengthAt = out.size();
                out.advance(4);
                final int written = Snappy.compress(src, offset + done, n, out.array(), out.size());
                putIntBe(out.array(), lengthAt, written);
                out.advance(written);
                done += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void decompress(ByteBuffer src, ByteArrayOutput out) {
        final byte[] bytes;
        final int start;
        final int length = src.remaining();
        if (src.hasArray()) {
            bytes = src.array();
            start = src.arrayOffset() + src.position();
        } else {
            // snappy-java's array API needs heap bytes; direct batches are copied once.
            bytes = new byte[length];
            src.duplicate().get(bytes);
            start = 0;
        }
        try {
            if (length < HEADER_SIZE || !hasMagic(bytes, start)) {
                decompressBlock(bytes, start, length, out);
                return;
            }
            int pos = start + HEADER_SIZE;
            final int end = start + length;
            while (pos < end) {
                if (end - pos < 4) {
                    throw new DecodeException("snappy stream ends inside a chunk length");
                }
                final int chunk = getIntBe(bytes, pos);
                pos += 4;
                if (chunk == MAGIC_HEAD) {
                    if (end - pos < HEADER_SIZE - 4 || !hasMagic(bytes, pos - 4)) {
                        throw new DecodeException("snappy stream has a damaged header inside it");
                    }
                    pos += HEADER_SIZE - 4;
                    continue;
                }
                if (chunk < 0 || chunk > end - pos) {
                    throw new DecodeException("snappy chunk length " + chunk + " but only " + (end - pos)
                            + " bytes remain");
                }
                if (chunk > 0) {
                    decompressBlock(bytes, pos, chunk, out);
                }
                pos += chunk;
            }
        } catch (IOException e) {
            throw new DecodeException("corrupt snappy data in batch: " + e.getMessage(), e);
        }
    }

    private static void decompressBlock(byte[] bytes, int offset, int length, ByteArrayOutput out)
            throws IOException {
        if (length == 0) {
            throw new DecodeException("empty snappy block");
        }
        final int size = Snappy.uncompressedLength(bytes, offset, length);
        out.require(size);
        final int written = Snappy.uncompress(bytes, offset, length, out.array(), out.size());
        if (written != size) {
            throw new DecodeException("snappy block declared " + size + " bytes but held " + written);
        }
        out.advance(written);
    }

    private static boolean hasMagic(byte[] bytes, int offset) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[offset + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static void writeIntBe(ByteArrayOutput out, int value) {
        out.require(4);
        putIntBe(out.array(), out.size(), value);
        out.advance(4);
    }

    private static void putIntBe(byte[] array, int at, int value) {
        array[at] = (byte) (value >>> 24);
        array[at + 1] = (byte) (value >>> 16);
        array[at + 2] = (byte) (value >>> 8);
        array[at + 3] = (byte) value;
    }

    private static int getIntBe(byte[] array, int at) {
        return (array[at] & 0xFF) << 24 | (array[at + 1] & 0xFF) << 16 | (array[at + 2] & 0xFF) << 8
                | (array[at + 3] & 0xFF);
    }
}

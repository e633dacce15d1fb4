package dev.skiff.protocol.record;

import dev.skiff.protocol.DecodeException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The LZ4 frame format (compression id 3) as Kafka uses it, built on lz4-java's block codec and
 * xxHash32. All integers are little-endian.
 *
 * <pre>
 * +-------------------------------+
 * | magic 0x184D2204 (uint32)     |
 * +-------+-------+---------------+
 * |  FLG  |  BD   | [content size uint64, if FLG.C.Size] | HC (uint8) |
 * +-------+-------+---------------+
 * | block size (uint32): bit 31 set = block stored uncompressed; 0 = end mark |
 * | block data ...                                                          |  repeated
 * | [block checksum xxh32(block data) uint32, if FLG.B.Checksum]            |
 * +-------------------------------------------------------------------------+
 * | end mark: 0 (uint32) | [content checksum xxh32(content) uint32, if FLG.C.Checksum] |
 *
 * FLG bits: 7-6 version = 01 | 5 block independence | 4 block checksum | 3 content size
 *           | 2 content checksum | 1 reserved = 0 | 0 dictionary id (unsupported, as in Kafka)
 * BD bits:  7 reserved = 0 | 6-4 block max size: 4 = 64 KiB, 5 = 256 KiB, 6 = 1 MiB, 7 = 4 MiB
 *           | 3-0 reserved = 0
 * HC = (xxh32(FLG .. last descriptor byte, seed 0) >> 8) &amp; 0xFF
 * </pre>
 *
 * Written frames match Kafka's defaults: independent 64 KiB blocks, no checksums, no content size,
 * and the correct HC (Kafka only hashed the magic too for the long-gone v0 message format). Reading
 * also accepts block checksums, a content size, a content checksum and larger blocks, which other
 * clients (librdkafka) may write; linked blocks are rejected as Kafka rejects them. Bytes after the
 * end mark are ignored, as Kafka's reader ignores them.
 */
final class Lz4FrameCodec implements Codec {
    static final Lz4FrameCodec INSTANCE = new Lz4FrameCodec();

    static final int MAGIC = 0x184D2204;
    static final int INCOMPRESSIBLE_FLAG = 0x80000000;
    static final int FLG_VERSION_MASK = 0xC0;
    static final int FLG_VERSION_1 = 0x40;
    static final int FLG_BLOCK_INDEPENDENCE = 0x20;
    static final int FLG_BLOCK_CHECKSUM = 0x10;
    static final int FLG_CONTENT_SIZE = 0x08;
    static final int FLG_CONTENT_CHECKSUM = 0x04;
    static final int FLG_RESERVED = 0x02;
    static final int FLG_DICTIONARY_ID = 0x01;
    /** 64 KiB blocks, Kafka's choice. */
    static final int BLOCK_SIZE_ID = 4;

    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

    private Lz4FrameCodec() {
    }

    static int maxBlockSize(int blockSizeId) {
        return 1 << (2 * blockSizeId + 8);
    }

    /** The header checksum byte over the descriptor bytes {@code FLG .. end}. */
    static byte headerChecksum(byte[] bytes, int offset, int length) {
        return (byte) ((XXHASH.hash(bytes, offset, length, 0) >> 8) & 0xFF);
    }

    @Override
    public void compress(byte[] src, int offset, int length, ByteArrayOutput out) {
        final int blockSize = maxBlockSize(BLOCK_SIZE_ID);
        out.require(7);
        final byte[] header = out.array();
        final int at = out.size();
        putIntLe(header, at, MAGIC);
        header[at + 4] = (byte) (FLG_VERSION_1 | FLG_BLOCK_INDEPENDENCE);
        header[at + 5] = (byte) (BLOCK_SIZE_ID << 4);
        header[at + 6] = headerChecksum(header, at + 4, 2);
        out.advance(7);
        for (int done = 0; done < length; ) {
            final int n = Math.min(blockSize, length - done);
            out.require(4 + Math.max(n, COMPRESSOR.maxCompressedLength(n)));
            final byte[] array = out.array();
            final int sizeAt = out.size();
            final int written = COMPRESSOR.compress(src, offset + done, n, array, sizeAt + 4,
                    COMPRESSOR.maxCompressedLength(n));
            if (written < n) {
                putIntLe(array, sizeAt, written);
                out.advance(4 + written);
            } else {
                // Incompressible: store the block as is, flagged, like Kafka's writer.
                putIntLe(array, sizeAt, n | INCOMPRESSIBLE_FLAG);
                System.arraycopy(src, offset + done, array, sizeAt + 4, n);
                out.advance(4 + n);
            }
            done += n;
        }
        out.require(4);
        putIntLe(out.array(), out.size(), 0);
        out.advance(4);
    }

    @Override
    public void decompress(ByteBuffer source, ByteArrayOutput out) {
        final ByteBuffer in = source.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 7) {
            throw new DecodeException("lz4 frame of " + in.remaining() + " bytes is shorter than its header");
        }
        final int magic = in.getInt();
        if (magic != MAGIC) {
            throw new DecodeException(String.format("lz4 frame magic is 0x%08X, expected 0x%08X", magic, MAGIC));
        }
        final int descriptorStart = in.position();
        final int flg = in.get() & 0xFF;
        final int bd = in.get() & 0xFF;
        if ((flg & FLG_VERSION_MASK) != FLG_VERSION_1) {
            throw new DecodeException("lz4 frame version " + (flg >>> 6) + " is not supported, only 1");
        }
        if ((flg & (FLG_RESERVED | FLG_DICTIONARY_ID)) != 0 || (bd & 0x8F) != 0) {
            throw new DecodeException(String.format("lz4 frame sets reserved or dictionary bits (FLG 0x%02X, "
                    + "BD 0x%02X)", flg, bd));
        }
        if ((flg & FLG_BLOCK_INDEPENDENCE) == 0) {
            throw new DecodeException("lz4 frames with linked blocks are not supported");
        }
        final int blockSizeId = (bd >>> 4) & 0x07;
        if (blockSizeId < 4) {
            throw new DecodeException("lz4 frame block size id " + blockSizeId + " is not 4..7");
        }
        final int maxBlockSize = maxBlockSize(blockSizeId);
        if ((flg & FLG_CONTENT_SIZE) != 0) {
            need(in, 8, "content size");
            in.position(in.position() + 8);
        }
        need(in, 1, "header checksum");
        final int descriptorLength = in.position() - descriptorStart;
        final byte expected = (byte) ((XXHASH.hash(in, descriptorStart, descriptorLength, 0) >> 8) & 0xFF);
        final byte actual = in.get();
        if (actual != expected) {
            throw new DecodeException(String.format("lz4 frame header checksum is 0x%02X, expected 0x%02X",
                    actual & 0xFF, expected & 0xFF));
        }
        final int contentStart = out.size();
        while (true) {
            need(in, 4, "block size");
            final int word = in.getInt();
            if (word == 0) {
                break;
            }
            final boolean stored = (word & INCOMPRESSIBLE_FLAG) != 0;
            final int size = word & ~INCOMPRESSIBLE_FLAG;
            if (size > maxBlockSize) {
                throw new DecodeException("lz4 block of " + size + " bytes exceeds the frame's maximum of "
                        + maxBlockSize);
            }
            need(in, size, "block");
            final int blockStart = in.position();
            if ((flg & FLG_BLOCK_CHECKSUM) != 0) {
                need(in, size + 4, "block checksum");
                final int hash = XXHASH.hash(in, blockStart, size, 0);
                if (hash != in.getInt(blockStart + size)) {
                    throw new DecodeException("lz4 block checksum mismatch");
                }
            }
            if (stored) {
                out.require(size);
                in.get(out.array(), out.size(), size);
                out.advance(size);
            } else {
                final int room = out.reserve(maxBlockSize);
                if (room == 0) {
                    throw out.tooLarge();
                }
                final int written;
                try {
                    written = in.hasArray()
                            ? DECOMPRESSOR.decompress(in.array(), in.arrayOffset() + blockStart, size, out.array(),
                                    out.size(), room)
                            : DECOMPRESSOR.decompress(in, blockStart, size, ByteBuffer.wrap(out.array()), out.size(),
                                    room);
                } catch (LZ4Exception e) {
                    // A block that does not fit the room left below the ceiling fails the same way.
                    throw room < maxBlockSize
                            ? new DecodeException("corrupt lz4 block, or records exceed the limit of "
                                    + out.maxSize() + " bytes: " + e.getMessage(), e)
                            : new DecodeException("corrupt lz4 block: " + e.getMessage(), e);
                }
                out.advance(written);
                in.position(blockStart + size);
            }
            if ((flg & FLG_BLOCK_CHECKSUM) != 0) {
                in.position(in.position() + 4);
            }
        }
        if ((flg & FLG_CONTENT_CHECKSUM) != 0) {
            need(in, 4, "content checksum");
            final int hash = XXHASH.hash(out.array(), contentStart, out.size() - contentStart, 0);
            if (hash != in.getInt()) {
                throw new DecodeException("lz4 content checksum mismatch");
            }
        }
    }

    private static void need(ByteBuffer in, int bytes, String what) {
        if (in.remaining() < bytes) {
            throw new DecodeException("lz4 frame ends inside its " + what + " (" + in.remaining() + " of " + bytes
                    + " bytes present)");
        }
    }

    private static void putIntLe(byte[] array, int at, int value) {
        array[at] = (byte) value;
        array[at + 1] = (byte) (value >>> 8);
        array[at + 2] = (byte) (value >>> 16);
        array[at + 3] = (byte) (value >>> 24);
    }
}

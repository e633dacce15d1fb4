package dev.skiff.protocol.record;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.skiff.protocol.DecodeException;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Zstandard frames through zstd-jni (compression id 4).
 *
 * <p>Writing uses one-shot compression: the batch is complete in memory, and a single frame carrying
 * its content size is a valid input for Kafka's streaming reader. Reading streams, because Kafka's
 * writer emits frames without a content size, so the output size is not known in advance.
 */
final class ZstdCodec implements Codec {
    static final ZstdCodec INSTANCE = new ZstdCodec();

    /** Kafka's default level for compression.type=zstd. */
    static final int DEFAULT_LEVEL = 3;

    private ZstdCodec() {
    }

    @Override
    public void compress(byte[] src, int offset, int length, ByteArrayOutput out) {
        final long bound = Zstd.compressBound(length);
        if (bound > ByteArrayOutput.MAX_ARRAY_SIZE) {
            throw new IllegalArgumentException("batch of " + length + " bytes is too large to compress");
        }
        out.require((int) bound);
        final long written = Zstd.compressByteArray(out.array(), out.size(), (int) bound,
                src, offset, length, DEFAULT_LEVEL);
        if (Zstd.isError(written)) {
            throw new IllegalStateException("zstd compression failed: " + Zstd.getErrorName(written));
        }
        out.advance((int) written);
    }

    @Override
    public void decompress(ByteBuffer src, ByteArrayOutput out) {
        // The recycling pool keeps zstd-jni's 128 KiB input buffer from being allocated per batch.
        try (ZstdInputStreamNoFinalizer zstd =
                     new ZstdInputStreamNoFinalizer(new ByteBufferInput(src), RecyclingBufferPool.INSTANCE)) {
            Codec.drain(zstd, out);
        } catch (IOException e) {
            throw new DecodeException("corrupt zstd data in batch: " + e.getMessage(), e);
        }
    }
}

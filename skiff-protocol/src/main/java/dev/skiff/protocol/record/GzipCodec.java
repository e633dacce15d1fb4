package dev.skiff.protocol.record;

import dev.skiff.protocol.DecodeException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * gzip (RFC 1952) through the JDK's streams, which is exactly what Kafka writes and reads for
 * compression id 1. Reading accepts concatenated members, as the JDK and Kafka do.
 */
final class GzipCodec implements Codec {
    static final GzipCodec INSTANCE = new GzipCodec();

    /** Kafka's gzip buffer size; it only affects speed, not the bytes produced. */
    private static final int BUFFER_SIZE = 8 * 1024;

    private GzipCodec() {
    }

    @Override
    public void compress(byte[] src, int offset, int length, ByteArrayOutput out) {
        // Writing to memory cannot fail; IOException is only in the signature.
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, BUFFER_SIZE)) {
            gzip.write(src, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void decompress(ByteBuffer src, ByteArrayOutput out) {
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteBufferInput(src), BUFFER_SIZE)) {
            Codec.drain(gzip, out);
        } catch (IOException e) {
            throw new DecodeException("corrupt gzip data in batch: " + e.getMessage(), e);
        }
    }
}

package dev.skiff.protocol.record;

import dev.skiff.protocol.DecodeException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * One compression codec for the records section of a batch: whole payload in, whole payload out.
 *
 * <p>Batches are small (a megabyte by default) and always handled whole, so codecs work on complete
 * buffers rather than streams. Implementations are stateless singletons and thread-safe.
 */
interface Codec {
    /** Bytes read from a decompressing stream per call. */
    int STREAM_CHUNK = 16 * 1024;

    /** Appends the compressed form of {@code src[offset, offset + length)} to {@code out}. */
    void compress(byte[] src, int offset, int length, ByteArrayOutput out);

    /**
     * Appends the decompressed form of {@code src}'s remaining bytes to {@code out}, without moving
     * {@code src}'s position.
     *
     * @throws DecodeException if the input is not valid for this codec or inflates past out's ceiling
     */
    void decompress(ByteBuffer src, ByteArrayOutput out);

    /** Copies a decompressing stream into {@code out} until it ends, honouring out's ceiling. */
    static void drain(InputStream in, ByteArrayOutput out) throws IOException {
        while (true) {
            final int room = out.reserve(STREAM_CHUNK);
            if (room == 0) {
                if (in.read() >= 0) {
                    throw out.tooLarge();
                }
                return;
            }
            final int n = in.read(out.array(), out.size(), room);
            if (n < 0) {
                return;
            }
            out.advance(n);
        }
    }
}

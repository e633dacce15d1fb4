package dev.skiff.protocol.record;

import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * An {@link InputStream} over the remaining bytes of a {@link ByteBuffer}, for the codecs whose
 * libraries only read streams (gzip, zstd). Reads a private duplicate, so the caller's buffer position
 * never moves.
 */
final class ByteBufferInput extends InputStream {
    private final ByteBuffer buffer;

    ByteBufferInput(ByteBuffer source) {
        this.buffer = source.duplicate();
    }

    @Override
    public int read() {
        return buffer.hasRemaining() ? buffer.get() & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (!buffer.hasRemaining()) {
            return -1;
        }
        final int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) {
        final int skipped = (int) Math.max(0, Math.min(n, buffer.remaining()));
        buffer.position(buffer.position() + skipped);
        return skipped;
    }

    @Override
    public int available() {
        return buffer.remaining();
    }
}

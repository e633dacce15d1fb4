package dev.skiff.protocol.record;

import dev.skiff.protocol.DecodeException;

import java.nio.ByteBuffer;
import java.util.NoSuchElementException;

import static dev.skiff.protocol.record.BatchHeader.HEADER_SIZE;
import static dev.skiff.protocol.record.BatchHeader.LENGTH_OFFSET;
import static dev.skiff.protocol.record.BatchHeader.LOG_OVERHEAD;
import static dev.skiff.protocol.record.BatchHeader.MAGIC_OFFSET;

/**
 * Walks a buffer of concatenated v2 batches, yielding each as a {@link BatchHeader} view over the
 * original bytes: nothing is copied and one flyweight is reused, so the header returned by
 * {@link #next()} is only valid until the following call.
 *
 * <p>Only framing is checked here (length, magic, the batch lying within the buffer); CRC and
 * records are left to {@link BatchHeader#isCrcValid()} and {@link RecordReader}. A trailing partial
 * batch is a {@link DecodeException} by default; {@link #lenient} iterators stop before it instead,
 * which is what a consumer needs, since brokers may cut the last batch of a fetch response short.
 *
 * <pre>
 * BatchIterator batches = new BatchIterator(records);
 * while (batches.hasNext()) {
 *     BatchHeader batch = batches.next();
 *     ...
 * }
 * </pre>
 * Not thread-safe. The caller's buffer position is never moved.
 */
public final class BatchIterator {
    private final BatchHeader header = new BatchHeader();
    private final boolean stopAtPartialBatch;
    private ByteBuffer buffer;
    private int next;
    private int nextEnd = -1;

    /** A strict iterator over {@code records}' remaining bytes. */
    public BatchIterator(ByteBuffer records) {
        this(false);
        reset(records);
    }

    private BatchIterator(boolean stopAtPartialBatch) {
        this.stopAtPartialBatch = stopAtPartialBatch;
    }

    /** An iterator that ends quietly at a trailing partial batch (see {@link #partialBytes()}). */
    public static BatchIterator lenient(ByteBuffer records) {
        return new BatchIterator(true).reset(records);
    }

    /** Restarts on {@code records}' remaining bytes, so one iterator can serve many buffers. */
    public BatchIterator reset(ByteBuffer records) {
        // A duplicate is big-endian whatever the caller's byte order, and keeps the caller's position.
        this.buffer = records.duplicate();
        this.next = buffer.position();
        this.nextEnd = -1;
        return this;
    }

    /**
     * True when a complete batch follows.
     *
     * @throws DecodeException when the next batch is malformed, or partial and this iterator is strict
     */
    public boolean hasNext() {
        if (nextEnd >= 0) {
            return true;
        }
        final int remaining = buffer.limit() - next;
        if (remaining == 0) {
            return false;
        }
        if (remaining < LOG_OVERHEAD) {
            return partial(remaining);
        }
        final int batchLength = buffer.getInt(next + LENGTH_OFFSET);
        if (batchLength < HEADER_SIZE - LOG_OVERHEAD) {
            throw new DecodeException("batch at byte " + (next - buffer.position()) + " has batchLength "
                    + batchLength + ", less than the " + (HEADER_SIZE - LOG_OVERHEAD) + " bytes of a v2 header");
        }
        if (remaining > MAGIC_OFFSET) {
            final byte magic = buffer.get(next + MAGIC_OFFSET);
            if (magic != BatchHeader.MAGIC_V2) {
                throw new DecodeException("batch at byte " + (next - buffer.position()) + " has magic " + magic
                        + "; only magic 2 record batches are supported");
            }
        }
        if ((long) batchLength + LOG_OVERHEAD > remaining) {
            return partial(remaining);
        }
        nextEnd = next + LOG_OVERHEAD + batchLength;
        return true;
    }

    /**
     * The next batch, as a view valid until the next call.
     *
     * @throws NoSuchElementException when {@link #hasNext()} is false
     */
    public BatchHeader next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more batches");
        }
        header.wrap(buffer, next);
        next = nextEnd;
        nextEnd = -1;
        return header;
    }

    /** Bytes of complete batches returned or found so far, counted from the start. */
    public int validBytes() {
        return next - buffer.position();
    }

    /** Bytes after the last complete batch; non-zero only for a lenient iterator at its end. */
    public int partialBytes() {
        return hasNext() ? 0 : buffer.limit() - next;
    }

    private boolean partial(int remaining) {
        if (stopAtPartialBatch) {
            return false;
        }
        throw new DecodeException("trailing " + remaining + " bytes at byte " + (next - buffer.position())
                + " do not form a complete batch");
    }
}

package dev.skiff.protocol.record;

import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.Varints;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static dev.skiff.protocol.record.BatchHeader.HEADER_SIZE;

/**
 * A cursor over the records of one v2 batch (record layout in {@link RecordBatchBuilder}).
 *
 * <p>Compressed batches are inflated once into a buffer this reader owns and reuses; records are
 * then parsed in place. {@link #key()} and {@link #value()} return views that this reader re-points
 * at every record, so iterating allocates per batch, not per record. Views are valid until the next
 * {@link #next()} or {@link #open}; copy what must outlive that.
 *
 * <pre>
 * RecordReader records = new RecordReader();
 * records.open(batch);
 * while (records.next()) {
 *     long offset = records.offset();
 *     ByteBuffer value = records.value();   // null for a null value
 * }
 * </pre>
 * Every malformed input raises {@link DecodeException} naming the record and what is wrong. The CRC
 * is not checked here ({@link BatchHeader#isCrcValid()}). Not thread-safe.
 */
public final class RecordReader {
    /** Default ceiling on a batch's decompressed records; guards against decompression bombs. */
    public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

    /** A record's smallest body: attributes, and one byte each for the five varints. */
    private static final int MIN_RECORD_BODY = 6;

    private final ByteArrayOutput decompressed;

    private ByteBuffer data;
    private ByteBuffer keyView;
    private ByteBuffer valueView;
    private ByteBuffer headersView;
    private int dataEnd;

    private long baseOffset;
    private long baseTimestamp;
    private long logAppendTime;
    private boolean isLogAppendTime;
    private int recordCount;
    private int index;

    private long offset;
    private long timestamp;
    private int offsetDelta;
    private long timestampDelta;
    private int headersStart;
    private int recordEnd;
    private int keyStart;
    private int keySize;
    private int valueStart;
    private int valueSize;
    private int headerCount;
    private int[] headerFields = new int[16];

    public RecordReader() {
        this(DEFAULT_MAX_DECOMPRESSED_BYTES);
    }

    /** @param maxDecompressedBytes largest records section a compressed batch may inflate to */
    public RecordReader(int maxDecompressedBytes) {
        this.decompressed = new ByteArrayOutput(64 * 1024, maxDecompressedBytes);
    }

    /**
     * Positions the cursor before the first record of {@code batch}, decompressing if needed.
     *
     * @throws DecodeException if the batch is not a readable v2 batch
     */
    public RecordReader open(BatchHeader batch) {
        return open(batch.buffer(), batch.start());
    }

    /**
     * Positions the cursor before the first record of the batch at absolute index {@code start} of
     * {@code buffer}.
     *
     * @throws DecodeException if the bytes there are not a complete, readable v2 batch
     */
    public RecordReader open(ByteBuffer buffer, int start) {
        final ByteBuffer b = buffer.duplicate();
        if (start < 0 || b.limit() - start < HEADER_SIZE) {
            throw new DecodeException("batch at index " + start + " is shorter than the " + HEADER_SIZE
                    + "-byte header");
        }
        final int batchLength = b.getInt(start + BatchHeader.LENGTH_OFFSET);
        final long end = (long) start + BatchHeader.LOG_OVERHEAD + batchLength;
        if (batchLength < HEADER_SIZE - BatchHeader.LOG_OVERHEAD || end > b.limit()) {
            throw new DecodeException("batchLength " + batchLength + " does not fit the " + (b.limit() - start)
                    + " bytes present");
        }
        final byte magic = b.get(start + BatchHeader.MAGIC_OFFSET);
        if (magic != BatchHeader.MAGIC_V2) {
            throw new DecodeException("batch magic is " + magic + "; only magic 2 can be read");
        }
        final short attributes = b.getShort(start + BatchHeader.ATTRIBUTES_OFFSET);
        final int codecId = attributes & BatchHeader.COMPRESSION_CODEC_MASK;
        if (!CompressionType.isValidId(codecId)) {
            throw new DecodeException("batch uses unknown compression codec id " + codecId);
        }
        final int count = b.getInt(start + BatchHeader.RECORD_COUNT_OFFSET);
        if (count < 0) {
            throw new DecodeException("batch declares a negative record count " + count);
        }
        b.limit((int) end).position(start + HEADER_SIZE);
        if (codecId == CompressionType.NONE.id()) {
            data = b;
        } else {
            decompressed.reset();
            final CompressionType type = CompressionType.forId(codecId);
            try {
                type.codec().decompress(b, decompressed);
            } catch (DecodeException e) {
                throw e;
            } catch (RuntimeException e) {
                // Native codecs report some damage with their own runtime exceptions.
                throw new DecodeException("corrupt " + type + " data in batch: " + e, e);
            }
            data = ByteBuffer.wrap(decompressed.array(), 0, decompressed.size());
        }
        dataEnd = data.limit();
        keyView = data.duplicate();
        valueView = data.duplicate();
        headersView = data.duplicate();
        baseOffset = b.getLong(start + BatchHeader.BASE_OFFSET_OFFSET);
        baseTimestamp = b.getLong(start + BatchHeader.BASE_TIMESTAMP_OFFSET);
        logAppendTime = b.getLong(start + BatchHeader.MAX_TIMESTAMP_OFFSET);
        isLogAppendTime = (attributes & BatchHeader.TIMESTAMP_TYPE_MASK) != 0;
        recordCount = count;
        index = 0;
        headerCount = 0;
        return this;
    }

    /**
     * Advances to the next record.
     *
     * @return false after the last record the batch declares
     * @throws DecodeException if the record is malformed, or the records section holds fewer or more
     *                         bytes than the declared records
     */
    public boolean next() {
        if (data == null) {
            throw new IllegalStateException("open a batch first");
        }
        if (index == recordCount) {
            if (data.position() != dataEnd) {
                throw new DecodeException((dataEnd - data.position()) + " bytes follow the " + recordCount
                        + " records the batch declares");
            }
            return false;
        }
        if (!data.hasRemaining()) {
            throw new DecodeException("batch declares " + recordCount + " records but holds only " + index);
        }
        try {
            readRecord();
        } catch (DecodeException e) {
            data.limit(dataEnd);
            throw new DecodeException("record " + index + " of " + recordCount + ": " + e.getMessage(), e);
        }
        index++;
        return true;
    }

    private void readRecord() {
        final int length = Varints.readVarint(data);
        if (length < MIN_RECORD_BODY || length > data.remaining()) {
            throw new DecodeException("record length " + length + " is not within " + MIN_RECORD_BODY + ".."
                    + data.remaining() + " (bytes left)");
        }
        final int recordEnd = data.position() + length;
        data.limit(recordEnd);
        data.get(); // attributes: unused in v2
        timestampDelta = Varints.readVarlong(data);
        offsetDelta = Varints.readVarint(data);
        keySize = readLength("key");
        keyStart = skip(keySize);
        valueSize = readLength("value");
        valueStart = skip(valueSize);
        headersStart = data.position();
        this.recordEnd = recordEnd;
        final int count = Varints.readVarint(data);
        // Each header takes at least two bytes, so this also bounds the array below.
        if (count < 0 || count > data.remaining() / 2) {
            throw new DecodeException("header count " + count + " cannot fit in the " + data.remaining()
                    + " bytes left");
        }
        if (headerFields.length < count * 4) {
            headerFields = new int[Math.max(count * 4, headerFields.length * 2)];
        }
        for (int i = 0; i < count; i++) {
            final int hKeySize = Varints.readVarint(data);
            if (hKeySize < 0 || hKeySize > data.remaining()) {
                throw new DecodeException("header " + i + " key length " + hKeySize + " is not within 0.."
                        + data.remaining());
            }
            headerFields[4 * i] = skip(hKeySize);
            headerFields[4 * i + 1] = hKeySize;
            final int hValueSize = readLength("header " + i + " value");
            headerFields[4 * i + 2] = skip(hValueSize);
            headerFields[4 * i + 3] = hValueSize;
        }
        headerCount = count;
        if (data.position() != recordEnd) {
            throw new DecodeException("record length " + length + " but its fields end "
                    + (recordEnd - data.position()) + " bytes earlier");
        }
        data.limit(dataEnd);
        offset = baseOffset + offsetDelta;
        timestamp = isLogAppendTime ? logAppendTime : baseTimestamp + timestampDelta;
    }

    /** Reads a nullable length: -1 (null) up to the bytes left in the record. */
    private int readLength(String what) {
        final int size = Varints.readVarint(data);
        if (size < -1 || size > data.remaining()) {
            throw new DecodeException(what + " length " + size + " is not within -1.." + data.remaining());
        }
        return size;
    }

    /** Skips {@code size} bytes (none for -1) and returns where they start. */
    private int skip(int size) {
        final int at = data.position();
        if (size > 0) {
            data.position(at + size);
        }
        return at;
    }

    /** Declared records in the open batch. */
    public int recordCount() {
        return recordCount;
    }

    /** Absolute offset: baseOffset + offsetDelta. */
    public long offset() {
        return offset;
    }

    public int offsetDelta() {
        return offsetDelta;
    }

    /**
     * The record's timestampDelta field as stored (relative to the batch's baseTimestamp), whatever the batch's
     * timestamp type; {@link #timestamp()} is what a consumer sees.
     */
    public long timestampDelta() {
        return timestampDelta;
    }

    /**
     * The record's headers exactly as encoded: the headerCount varint and every header after it, up to the end of
     * the record. A view valid until the next record, for copying a record without decoding its headers (the log
     * cleaner rewrites batches this way).
     */
    public ByteBuffer headersSection() {
        return view(headersView, headersStart, recordEnd - headersStart);
    }

    /** CreateTime of the record, or the batch's maxTimestamp for LogAppendTime batches (as Kafka reads it). */
    public long timestamp() {
        return timestamp;
    }

    public boolean hasKey() {
        return keySize >= 0;
    }

    /** Key length, -1 for a null key. */
    public int keySize() {
        return keySize;
    }

    /** The key as a view valid until the next record, or null. */
    public ByteBuffer key() {
        return view(keyView, keyStart, keySize);
    }

    public boolean hasValue() {
        return valueSize >= 0;
    }

    /** Value length, -1 for a null value. */
    public int valueSize() {
        return valueSize;
    }

    /** The value as a view valid until the next record, or null. */
    public ByteBuffer value() {
        return view(valueView, valueStart, valueSize);
    }

    public int headerCount() {
        return headerCount;
    }

    /** Key of header {@code i}, decoded from UTF-8. */
    public String headerKey(int i) {
        checkHeader(i);
        final ByteBuffer k = data.duplicate();
        k.limit(headerFields[4 * i] + headerFields[4 * i + 1]).position(headerFields[4 * i]);
        return StandardCharsets.UTF_8.decode(k).toString();
    }

    /** Value of header {@code i} as a new read-only slice of the batch bytes, or null. */
    public ByteBuffer headerValue(int i) {
        checkHeader(i);
        final int size = headerFields[4 * i + 3];
        if (size < 0) {
            return null;
        }
        final ByteBuffer v = data.asReadOnlyBuffer();
        v.limit(headerFields[4 * i + 2] + size).position(headerFields[4 * i + 2]);
        return v.slice();
    }

    /** The headers of the current record, copied out. */
    public Header[] headers() {
        final Header[] headers = new Header[headerCount];
        for (int i = 0; i < headerCount; i++) {
            final ByteBuffer v = headerValue(i);
            byte[] bytes = null;
            if (v != null) {
                bytes = new byte[v.remaining()];
                v.get(bytes);
            }
            headers[i] = new Header(headerKey(i), bytes);
        }
        return headers;
    }

    private void checkHeader(int i) {
        if (i < 0 || i >= headerCount) {
            throw new IndexOutOfBoundsException("header " + i + " of " + headerCount);
        }
    }

    private static ByteBuffer view(ByteBuffer view, int start, int size) {
        if (size < 0) {
            return null;
        }
        view.limit(start + size).position(start);
        return view;
    }
}

package dev.skiff.protocol.record;

import dev.skiff.protocol.Varints;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.zip.CRC32C;

import static dev.skiff.protocol.record.BatchHeader.HEADER_SIZE;

/**
 * Writes one record batch (magic v2) in place: records are appended after a reserved 61-byte header,
 * and {@link #build()} compresses the records section, fills the header and the CRC-32C.
 *
 * <p>Design note: records are written uncompressed straight into the target buffer and compressed
 * once when the batch closes. A batch is bounded (batch.size) and built by one thread, so a
 * whole-buffer compression pass is cheaper and simpler than keeping a compressing stream open per
 * batch, and the uncompressed size is exact when deciding whether the next record fits.
 *
 * <p>Each record in the records section (see {@link BatchHeader} for the batch header):
 * <pre>
 * +--------------------------------+
 * | length (varint)                |  bytes after this field
 * | attributes (int8) = 0          |  unused
 * | timestampDelta (varlong)       |  timestamp - baseTimestamp
 * | offsetDelta (varint)           |  offset - baseOffset
 * | keyLength (varint)             |  -1 = null key
 * | key (bytes)                    |
 * | valueLength (varint)           |  -1 = null value
 * | value (bytes)                  |
 * | headerCount (varint)           |
 * | per header:                    |
 * |   keyLength (varint), key (UTF-8), valueLength (varint, -1 = null), value (bytes)
 * +--------------------------------+
 * </pre>
 * Varints are zigzag-encoded ({@link Varints#writeVarint}). The batch's baseTimestamp is the first
 * record's timestamp and maxTimestamp the largest one (CreateTime); attributes carry only the codec:
 * never transactional, never a control batch.
 *
 * <p>Two shapes: a caller-supplied buffer (fixed capacity: check {@link #hasRoomFor} before
 * {@link #append}), or {@link #growing} (a heap buffer that grows; {@code writeLimit} only steers
 * {@link #hasRoomFor}). Not thread-safe; the builder owns the buffer region until {@link #build()}.
 */
public final class RecordBatchBuilder {
    /**
     * Most bytes a record takes besides its key, value and header bytes: length (5), attributes (1),
     * timestampDelta (10), offsetDelta (5), keyLength (5), valueLength (5), headerCount (5).
     */
    public static final int MAX_RECORD_OVERHEAD = 36;

    private static final Header[] NO_HEADERS = new Header[0];

    private final CompressionType compression;
    private final boolean growable;
    private final int writeLimit;
    /** The caller's buffer for a fixed builder (its position moves past the batch on build), else null. */
    private final ByteBuffer callerBuffer;
    private ByteBuffer buffer;
    private final int start;
    private int position;

    private long baseOffset;
    private int partitionLeaderEpoch = -1;
    private long producerId = BatchHeader.NO_PRODUCER_ID;
    private short producerEpoch = BatchHeader.NO_PRODUCER_EPOCH;
    private int baseSequence = BatchHeader.NO_SEQUENCE;
    private float estimatedCompressionRatio = 1.0f;

    private int recordCount;
    private long baseTimestamp = BatchHeader.NO_TIMESTAMP;
    private long maxTimestamp = BatchHeader.NO_TIMESTAMP;
    private MemoryRecords built;

    /**
     * A builder writing into {@code buffer} from its position up to its limit. On {@link #build()} the
     * buffer's position moves past the batch, so several batches can be built back to back.
     *
     * @throws IllegalArgumentException if fewer than 61 bytes remain or the buffer is read-only
     */
    public RecordBatchBuilder(ByteBuffer buffer, CompressionType compression) {
        Objects.requireNonNull(buffer, "buffer");
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("batch buffer is read-only");
        }
        if (buffer.remaining() < HEADER_SIZE) {
            throw new IllegalArgumentException("a batch needs at least " + HEADER_SIZE + " bytes, the buffer has "
                    + buffer.remaining());
        }
        this.compression = Objects.requireNonNull(compression, "compression");
        this.growable = false;
        this.callerBuffer = buffer;
        // A private duplicate: big-endian whatever the caller's order, and the caller's position stays put.
        this.buffer = buffer.duplicate();
        this.start = buffer.position();
        this.position = start + HEADER_SIZE;
        this.writeLimit = buffer.limit() - start;
    }

    private RecordBatchBuilder(int initialCapacity, int writeLimit, CompressionType compression) {
        this.compression = Objects.requireNonNull(compression, "compression");
        this.growable = true;
        this.callerBuffer = null;
        this.buffer = ByteBuffer.allocate(Math.max(initialCapacity, HEADER_SIZE));
        this.start = 0;
        this.position = HEADER_SIZE;
        this.writeLimit = writeLimit;
    }

    /**
     * A builder over a heap buffer that grows as needed. {@link #hasRoomFor} answers true for the first
     * record whatever its size (one oversized record still gets its own batch, as in Kafka) and
     * afterwards while the estimated batch size stays within {@code writeLimit} (batch.size).
     */
    public static RecordBatchBuilder growing(int initialCapacity, int writeLimit, CompressionType compression) {
        return new RecordBatchBuilder(initialCapacity, writeLimit, compression);
    }

    /** Producer id, epoch and the sequence of the first record, for idempotent producers. */
    public RecordBatchBuilder producerState(long producerId, short producerEpoch, int baseSequence) {
        ensureOpen();
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    /** Base offset written in the header; producers leave it 0 and the broker assigns it. */
    public RecordBatchBuilder baseOffset(long baseOffset) {
        ensureOpen();
        this.baseOffset = baseOffset;
        return this;
    }

    public RecordBatchBuilder partitionLeaderEpoch(int partitionLeaderEpoch) {
        ensureOpen();
        this.partitionLeaderEpoch = partitionLeaderEpoch;
        return this;
    }

    /** Expected compressed/uncompressed ratio, used only by {@link #estimatedSizeInBytes()}. */
    public RecordBatchBuilder estimatedCompressionRatio(float ratio) {
        if (!(ratio > 0)) {
            throw new IllegalArgumentException("compression ratio must be positive: " + ratio);
        }
        this.estimatedCompressionRatio = ratio;
        return this;
    }

    public CompressionType compression() {
        return compression;
    }

    public int recordCount() {
        return recordCount;
    }

    public boolean isEmpty() {
        return recordCount == 0;
    }

    /** Header plus records as written so far, before compression. */
    public int uncompressedSizeInBytes() {
        return position - start;
    }

    /** The batch size expected after compression, using {@link #estimatedCompressionRatio(float)}. */
    public int estimatedSizeInBytes() {
        final int records = position - start - HEADER_SIZE;
        if (compression == CompressionType.NONE) {
            return HEADER_SIZE + records;
        }
        return HEADER_SIZE + (int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(records * estimatedCompressionRatio));
    }

    /** Whether {@link #append} would accept this record (see the class comment for the two shapes). */
    public boolean hasRoomFor(long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {
        if (built != null) {
            return false;
        }
        final long timestampDelta = recordCount == 0 ? 0 : timestamp - baseTimestamp;
        final int size = sizeOfRecord(recordCount, timestampDelta, sizeOf(key), sizeOf(value), headers);
        if (!growable) {
            return (long) position + size <= buffer.limit();
        }
        return recordCount == 0 || (long) estimatedSizeInBytes() + size <= writeLimit;
    }

    /**
     * Appends a record with the next offset delta.
     *
     * @param timestamp CreateTime in ms, or -1 for none
     * @param key       key bytes (position..limit, not consumed), or null
     * @param value     value bytes (position..limit, not consumed), or null
     * @param headers   headers, or null for none
     * @return the record's offset delta
     * @throws IllegalStateException    if a fixed buffer has no room (see {@link #hasRoomFor}) or after build
     * @throws IllegalArgumentException for a negative timestamp other than -1
     */
    public int append(long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {
        ensureOpen();
        if (timestamp < 0 && timestamp != BatchHeader.NO_TIMESTAMP) {
            throw new IllegalArgumentException("invalid negative timestamp " + timestamp);
        }
        final Header[] hs = headers == null ? NO_HEADERS : headers;
        final long firstTimestamp = recordCount == 0 ? timestamp : baseTimestamp;
        final int offsetDelta = recordCount;
        final long timestampDelta = timestamp - firstTimestamp;
        final int keySize = sizeOf(key);
        final int valueSize = sizeOf(value);
        final int bodySize = sizeOfBody(offsetDelta, timestampDelta, keySize, valueSize, hs);
        ensureRoom(Varints.sizeOfVarint(bodySize) + bodySize);

        final ByteBuffer b = buffer;
        b.position(position);
        Varints.writeVarint(bodySize, b);
        b.put((byte) 0);
        Varints.writeVarlong(timestampDelta, b);
        Varints.writeVarint(offsetDelta, b);
        writeBytes(b, key, keySize);
        writeBytes(b, value, valueSize);
        Varints.writeVarint(hs.length, b);
        for (Header h : hs) {
            final byte[] k = h.keyUtf8();
            Varints.writeVarint(k.length, b);
            b.put(k);
            final byte[] v = h.value();
            if (v == null) {
                Varints.writeVarint(-1, b);
            } else {
                Varints.writeVarint(v.length, b);
                b.put(v);
            }
        }
        position = b.position();

        baseTimestamp = firstTimestamp;
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        recordCount++;
        return offsetDelta;
    }

    /**
     * Closes the batch: compresses the records, writes the header and CRC, and returns the batch.
     * Idempotent. A builder without records yields {@link MemoryRecords#EMPTY} (as Kafka writes no
     * batch at all then). For a fixed buffer, the buffer's position moves to the end of the batch;
     * only if compression made the records larger than the space left does the batch move to a new
     * heap buffer, leaving the caller's position unchanged.
     */
    public MemoryRecords build() {
        if (built != null) {
            return built;
        }
        if (recordCount == 0) {
            built = MemoryRecords.EMPTY;
            return built;
        }
        ByteBuffer out = buffer;
        int batchStart = start;
        int end = position;
        if (compression != CompressionType.NONE) {
            final ByteArrayOutput compressed = compressRecords();
            final int size = HEADER_SIZE + compressed.size();
            if (growable) {
                ensureRoom(Math.max(0, start + size - position));
                out = buffer;
            } else if ((long) start + size > buffer.limit()) {
                out = ByteBuffer.allocate(size);
                batchStart = 0;
            }
            out.put(batchStart + HEADER_SIZE, compressed.array(), 0, compressed.size());
            end = batchStart + size;
        }
        writeHeader(out, batchStart, end);
        if (callerBuffer != null && out == buffer) {
            callerBuffer.position(end);
        }
        final ByteBuffer slice = out.duplicate();
        slice.limit(end).position(batchStart);
        built = MemoryRecords.readableRecords(slice);
        return built;
    }

    private ByteArrayOutput compressRecords() {
        final int recordsStart = start + HEADER_SIZE;
        final int length = position - recordsStart;
        final byte[] src;
        final int srcOffset;
        if (buffer.hasArray()) {
            src = buffer.array();
            srcOffset = buffer.arrayOffset() + recordsStart;
        } else {
            src = new byte[length];
            buffer.get(recordsStart, src);
            srcOffset = 0;
        }
        final ByteArrayOutput compressed = new ByteArrayOutput(length / 2 + 64, ByteArrayOutput.MAX_ARRAY_SIZE);
        compression.codec().compress(src, srcOffset, length, compressed);
        return compressed;
    }

    private void writeHeader(ByteBuffer out, int s, int end) {
        out.putLong(s + BatchHeader.BASE_OFFSET_OFFSET, baseOffset);
        out.putInt(s + BatchHeader.LENGTH_OFFSET, end - s - BatchHeader.LOG_OVERHEAD);
        out.putInt(s + BatchHeader.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        out.put(s + BatchHeader.MAGIC_OFFSET, BatchHeader.MAGIC_V2);
        out.putShort(s + BatchHeader.ATTRIBUTES_OFFSET, (short) compression.id());
        out.putInt(s + BatchHeader.LAST_OFFSET_DELTA_OFFSET, recordCount - 1);
        out.putLong(s + BatchHeader.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        out.putLong(s + BatchHeader.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        out.putLong(s + BatchHeader.PRODUCER_ID_OFFSET, producerId);
        out.putShort(s + BatchHeader.PRODUCER_EPOCH_OFFSET, producerEpoch);
        out.putInt(s + BatchHeader.BASE_SEQUENCE_OFFSET, baseSequence);
        out.putInt(s + BatchHeader.RECORD_COUNT_OFFSET, recordCount);
        final CRC32C crc = new CRC32C();
        final ByteBuffer covered = out.duplicate();
        covered.limit(end).position(s + BatchHeader.ATTRIBUTES_OFFSET);
        crc.update(covered);
        out.putInt(s + BatchHeader.CRC_OFFSET, (int) crc.getValue());
    }

    private void ensureOpen() {
        if (built != null) {
            throw new IllegalStateException("batch already built");
        }
    }

    private void ensureRoom(int bytes) {
        final long needed = (long) position + bytes;
        if (!growable) {
            if (needed > buffer.limit()) {
                throw new IllegalStateException("record of " + bytes + " bytes does not fit: "
                        + (buffer.limit() - position) + " bytes left in the batch buffer (check hasRoomFor first)");
            }
            return;
        }
        if (needed > buffer.capacity()) {
            if (needed > ByteArrayOutput.MAX_ARRAY_SIZE) {
                throw new IllegalStateException("batch would exceed " + ByteArrayOutput.MAX_ARRAY_SIZE + " bytes");
            }
            final long doubled = Math.min(2L * buffer.capacity(), ByteArrayOutput.MAX_ARRAY_SIZE);
            final ByteBuffer bigger = ByteBuffer.allocate((int) Math.max(needed, doubled));
            bigger.put(0, buffer, 0, position);
            buffer = bigger;
        }
    }

    private static void writeBytes(ByteBuffer b, ByteBuffer bytes, int size) {
        Varints.writeVarint(size, b);
        if (size > 0) {
            b.put(b.position(), bytes, bytes.position(), size);
            b.position(b.position() + size);
        }
    }

    private static int sizeOf(ByteBuffer bytes) {
        return bytes == null ? -1 : bytes.remaining();
    }

    private static int sizeOfBody(int offsetDelta, long timestampDelta, int keySize, int valueSize,
                                  Header[] headers) {
        int size = 1 + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(offsetDelta)
                + Varints.sizeOfVarint(keySize) + Math.max(keySize, 0)
                + Varints.sizeOfVarint(valueSize) + Math.max(valueSize, 0);
        if (headers == null) {
            return size + 1;
        }
        size += Varints.sizeOfVarint(headers.length);
        for (Header h : headers) {
            size += h.sizeInRecord();
        }
        return size;
    }

    /**
     * Exact size of a record, length prefix included.
     *
     * @param keySize   key length, -1 for a null key
     * @param valueSize value length, -1 for a null value
     * @param headers   headers, or null for none
     */
    public static int sizeOfRecord(int offsetDelta, long timestampDelta, int keySize, int valueSize,
                                   Header[] headers) {
        final int body = sizeOfBody(offsetDelta, timestampDelta, keySize, valueSize, headers);
        return Varints.sizeOfVarint(body) + body;
    }

    /**
     * Upper bound of a record's size whatever its offset and timestamp deltas (for batch.size
     * decisions before the record's place in a batch is known).
     *
     * @param keySize   key length, -1 for a null key
     * @param valueSize value length, -1 for a null value
     * @param headers   headers, or null for none
     */
    public static int estimateRecordSize(int keySize, int valueSize, Header[] headers) {
        // Widest deltas: a 10-byte timestampDelta and a 5-byte offsetDelta.
        final int body = sizeOfBody(0, 0, keySize, valueSize, headers) - 2 + 10 + 5;
        return Varints.sizeOfVarint(body) + body;
    }

    /** {@link #estimateRecordSize(int, int, Header[])} for nullable key and value buffers. */
    public static int estimateRecordSize(ByteBuffer key, ByteBuffer value, Header[] headers) {
        return estimateRecordSize(sizeOf(key), sizeOf(value), headers);
    }

    /** Upper bound of an uncompressed batch holding only this record. */
    public static int estimateBatchSize(int keySize, int valueSize, Header[] headers) {
        return HEADER_SIZE + estimateRecordSize(keySize, valueSize, headers);
    }
}

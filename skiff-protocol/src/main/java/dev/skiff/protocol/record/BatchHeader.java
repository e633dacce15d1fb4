package dev.skiff.protocol.record;

import dev.skiff.protocol.DecodeException;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Flyweight over the 61-byte header of a record batch, magic v2, at an absolute position of a buffer.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     baseOffset (int64)                        |  0  assigned by the log
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                    batchLength (int32)                        |  8  bytes after this field
 * +---------------------------------------------------------------+
 * |                partitionLeaderEpoch (int32)                   | 12  assigned by the log
 * +---------------+-----------------------------------------------+
 * | magic (int8)  |              crc (uint32) ...                 | 16, 17
 * +---------------+-----------------------------------------------+
 * | ... crc       |   attributes (int16)          | lastOffsetDelta 21, 23
 * +---------------------------------------------------------------+
 * | baseTimestamp (int64) 27 | maxTimestamp (int64) 35 | producerId (int64) 43 |
 * | producerEpoch (int16) 51 | baseSequence (int32) 53 | recordCount (int32) 57 |
 * +---------------------------------------------------------------+
 * |                    records ... (61..)                         |
 * </pre>
 *
 * The CRC-32C covers everything from {@code attributes} to the end of the batch, so the log may
 * rewrite {@code baseOffset} and {@code partitionLeaderEpoch} in place without recomputing it.
 */
public final class BatchHeader {
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORD_COUNT_OFFSET = 57;
    /** Size of the batch header; the first record starts here. */
    public static final int HEADER_SIZE = 61;
    /** Bytes before the batchLength count starts: baseOffset and batchLength itself. */
    public static final int LOG_OVERHEAD = 12;
    /** The only batch format Skiff reads and writes. */
    public static final byte MAGIC_V2 = 2;

    public static final int COMPRESSION_CODEC_MASK = 0x07;
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    public static final int CONTROL_FLAG_MASK = 0x20;
    public static final int DELETE_HORIZON_FLAG_MASK = 0x40;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final long NO_TIMESTAMP = -1L;

    private ByteBuffer buffer;
    private int start;

    /** Points this flyweight at the batch starting at absolute index {@code start} of {@code buffer}. */
    public BatchHeader wrap(ByteBuffer buffer, int start) {
        this.buffer = buffer;
        this.start = start;
        return this;
    }

    public int start() {
        return start;
    }

    /** The buffer this flyweight reads; positions in it are absolute and its position is never moved. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index just past the end of this batch. */
    public int end() {
        return start + sizeInBytes();
    }

    public long baseOffset() {
        return buffer.getLong(start + BASE_OFFSET_OFFSET);
    }

    public void baseOffset(long offset) {
        buffer.putLong(start + BASE_OFFSET_OFFSET, offset);
    }

    /** The batchLength field: bytes following it, i.e. total size minus {@link #LOG_OVERHEAD}. */
    public int batchLength() {
        return buffer.getInt(start + LENGTH_OFFSET);
    }

    /** Total size of the batch including baseOffset and batchLength. */
    public int sizeInBytes() {
        return LOG_OVERHEAD + batchLength();
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(start + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public void partitionLeaderEpoch(int epoch) {
        buffer.putInt(start + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    public byte magic() {
        return buffer.get(start + MAGIC_OFFSET);
    }

    public long crc() {
        return buffer.getInt(start + CRC_OFFSET) & 0xFFFFFFFFL;
    }

    public short attributes() {
        return buffer.getShort(start + ATTRIBUTES_OFFSET);
    }

    /** Compression codec id: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. */
    public int compressionId() {
        return attributes() & COMPRESSION_CODEC_MASK;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    public boolean isControl() {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    /** True when timestamps are LogAppendTime rather than CreateTime. */
    public boolean isLogAppendTime() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(start + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long baseTimestamp() {
        return buffer.getLong(start + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(start + MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buffer.getLong(start + PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(start + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(start + BASE_SEQUENCE_OFFSET);
    }

    public int recordCount() {
        return buffer.getInt(start + RECORD_COUNT_OFFSET);
    }

    /**
     * The codec of the records section.
     *
     * @throws IllegalArgumentException when the attributes carry an unknown codec id (5..7)
     */
    public CompressionType compressionType() {
        return CompressionType.forId(compressionId());
    }

    /** True when the batch was written by an idempotent or transactional producer. */
    public boolean hasProducerId() {
        return producerId() >= 0;
    }

    /** Sequence number of the last record, wrapping past {@code Integer.MAX_VALUE} as Kafka does. */
    public int lastSequence() {
        final int base = baseSequence();
        return base == NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(base, lastOffsetDelta());
    }

    /** {@code sequence + increment}, wrapping to 0 after {@code Integer.MAX_VALUE} (Kafka's rule). */
    public static int incrementSequence(int sequence, int increment) {
        if (sequence > Integer.MAX_VALUE - increment) {
            return increment - (Integer.MAX_VALUE - sequence) - 1;
        }
        return sequence + increment;
    }

    /**
     * Computes the CRC-32C of attributes..end of batch as it is now in the buffer.
     *
     * @throws DecodeException if batchLength puts the end of the batch outside the buffer
     */
    public long computeCrc() {
        if (!fitsBuffer()) {
            throw new DecodeException("batchLength " + batchLength() + " does not fit the "
                    + (buffer.limit() - start) + " bytes present");
        }
        final CRC32C crc = new CRC32C();
        final ByteBuffer view = buffer.duplicate();
        view.limit(start + sizeInBytes()).position(start + ATTRIBUTES_OFFSET);
        crc.update(view);
        return crc.getValue();
    }

    /** True when the stored CRC matches the bytes; false also when the batch does not fit its buffer. */
    public boolean isCrcValid() {
        return fitsBuffer() && crc() == computeCrc();
    }

    /** Whether the header and batchLength place the whole batch inside the buffer's limit. */
    private boolean fitsBuffer() {
        final int length = batchLength();
        return length >= HEADER_SIZE - LOG_OVERHEAD && (long) start + LOG_OVERHEAD + length <= buffer.limit();
    }
}

package dev.skiff.protocol.record;

import dev.skiff.protocol.Varints;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import static dev.skiff.protocol.record.BatchHeader.HEADER_SIZE;

/**
 * Rebuilds one record batch with a subset of its records, as log compaction needs: the records that stay keep
 * their offsets and timestamps, and the batch keeps its identity.
 *
 * <p>Design note: {@link RecordBatchBuilder} numbers records 0, 1, 2... and is meant for producers. A cleaned
 * batch must instead keep every record's original offset, so this builder copies each kept record's offset
 * delta, key, value and encoded headers ({@link RecordReader#headersSection()}) and re-encodes only the
 * timestamp delta (the batch's base timestamp may change). What the rebuilt batch keeps and changes:
 * <table>
 * <caption>header fields of a rebuilt batch</caption>
 * <tr><th>field</th><th>value</th></tr>
 * <tr><td>baseOffset, lastOffsetDelta</td><td>the original's: the batch still spans the same offsets, so a
 *     consumer resumes after it even when its last records were removed</td></tr>
 * <tr><td>partitionLeaderEpoch, producerId, producerEpoch, baseSequence</td><td>the original's</td></tr>
 * <tr><td>attributes</td><td>the original's (codec, timestamp type, transactional, control), plus the
 *     delete-horizon flag when one is given</td></tr>
 * <tr><td>baseTimestamp</td><td>the delete horizon when flagged (KIP-534), else the first kept record's
 *     timestamp</td></tr>
 * <tr><td>maxTimestamp</td><td>LogAppendTime: the original's; CreateTime: the largest kept timestamp</td></tr>
 * <tr><td>recordCount, crc</td><td>recomputed; the records are compressed again with the original codec</td></tr>
 * </table>
 * Buffers are reused from batch to batch; the result of {@link #build()} is valid until the next
 * {@link #open}. Not thread-safe.
 */
public final class RetainedBatchBuilder {
    private static final int NO_HORIZON = -1;

    private ByteBuffer records = ByteBuffer.allocate(4096);
    private ByteBuffer out = ByteBuffer.allocate(4096);
    private final ByteArrayOutput compressed = new ByteArrayOutput(4096, ByteArrayOutput.MAX_ARRAY_SIZE);
    private final CRC32C crc = new CRC32C();

    private long baseOffset;
    private int lastOffsetDelta;
    private int partitionLeaderEpoch;
    private short attributes;
    private long originalBaseTimestamp;
    private long originalMaxTimestamp;
    private long producerId;
    private short producerEpoch;
    private int baseSequence;
    private long deleteHorizonMs;

    private int recordCount;
    private long baseTimestamp;
    private long maxTimestamp;

    /**
     * Starts a copy of {@code original} with no records yet.
     *
     * @param deleteHorizonMs the delete horizon to record in the batch (sets the delete-horizon flag), or -1 for
     *                        none; a batch that already has one should pass it again
     */
    public RetainedBatchBuilder open(BatchHeader original, long deleteHorizonMs) {
        this.baseOffset = original.baseOffset();
        this.lastOffsetDelta = original.lastOffsetDelta();
        this.partitionLeaderEpoch = original.partitionLeaderEpoch();
        this.originalBaseTimestamp = original.baseTimestamp();
        this.originalMaxTimestamp = original.maxTimestamp();
        this.producerId = original.producerId();
        this.producerEpoch = original.producerEpoch();
        this.baseSequence = original.baseSequence();
        this.deleteHorizonMs = deleteHorizonMs < 0 ? NO_HORIZON : deleteHorizonMs;
        short attrs = (short) (original.attributes() & ~BatchHeader.DELETE_HORIZON_FLAG_MASK);
        if (this.deleteHorizonMs != NO_HORIZON) {
            attrs |= BatchHeader.DELETE_HORIZON_FLAG_MASK;
        }
        this.attributes = attrs;
        this.recordCount = 0;
        this.baseTimestamp = this.deleteHorizonMs;
        this.maxTimestamp = BatchHeader.NO_TIMESTAMP;
        records.clear();
        return this;
    }

    /** The delete horizon a batch records, or -1 when its delete-horizon flag is not set. */
    public static long deleteHorizonOf(BatchHeader batch) {
        return (batch.attributes() & BatchHeader.DELETE_HORIZON_FLAG_MASK) != 0 ? batch.baseTimestamp() : NO_HORIZON;
    }

    /**
     * Copies the record {@code reader} is positioned on, which must belong to the batch given to {@link #open}.
     */
    public void append(RecordReader reader) {
        // The stored timestamp, relative to the original base (a delete horizon, if the original had one).
        final long timestamp = originalBaseTimestamp + reader.timestampDelta();
        if (recordCount == 0 && deleteHorizonMs == NO_HORIZON) {
            baseTimestamp = timestamp;
        }
        final long timestampDelta = timestamp - baseTimestamp;
        final ByteBuffer key = reader.key();
        final ByteBuffer value = reader.value();
        final ByteBuffer headers = reader.headersSection();
        final int keySize = key == null ? -1 : key.remaining();
        final int valueSize = value == null ? -1 : value.remaining();
        final int body = 1 + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(reader.offsetDelta())
                + Varints.sizeOfVarint(keySize) + Math.max(keySize, 0)
                + Varints.sizeOfVarint(valueSize) + Math.max(valueSize, 0) + headers.remaining();
        ensureRecordsRoom(Varints.sizeOfVarint(body) + body);
        final ByteBuffer b = records;
        Varints.writeVarint(body, b);
        b.put((byte) 0);
        Varints.writeVarlong(timestampDelta, b);
        Varints.writeVarint(reader.offsetDelta(), b);
        Varints.writeVarint(keySize, b);
        if (keySize > 0) {
            b.put(key);
        }
        Varints.writeVarint(valueSize, b);
        if (valueSize > 0) {
            b.put(value);
        }
        b.put(headers);
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        recordCount++;
    }

    /** Records copied since {@link #open}. */
    public int recordCount() {
        return recordCount;
    }

    /**
     * Compresses the records with the original codec and writes header and CRC.
     *
     * @return the batch, positioned at 0; valid until the next {@link #open}
     * @throws IllegalStateException if no record was copied (an empty batch is dropped, not built)
     */
    public ByteBuffer build() {
        if (recordCount == 0) {
            throw new IllegalStateException("no records retained; drop the batch instead");
        }
        final int codecId = attributes & BatchHeader.COMPRESSION_CODEC_MASK;
        final int rawSize = records.position();
        final byte[] payload;
        final int payloadSize;
        if (codecId == CompressionType.NONE.id()) {
            payload = records.array();
            payloadSize = rawSize;
        } else {
            compressed.reset();
            CompressionType.forId(codecId).codec().compress(records.array(), 0, rawSize, compressed);
            payload = compressed.array();
            payloadSize = compressed.size();
        }
        final int size = HEADER_SIZE + payloadSize;
        if (out.capacity() < size) {
            out = ByteBuffer.allocate(Math.max(size, out.capacity() * 2));
        }
        final ByteBuffer o = out;
        o.clear();
        o.putLong(BatchHeader.BASE_OFFSET_OFFSET, baseOffset);
        o.putInt(BatchHeader.LENGTH_OFFSET, size - BatchHeader.LOG_OVERHEAD);
        o.putInt(BatchHeader.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        o.put(BatchHeader.MAGIC_OFFSET, BatchHeader.MAGIC_V2);
        o.putShort(BatchHeader.ATTRIBUTES_OFFSET, attributes);
        o.putInt(BatchHeader.LAST_OFFSET_DELTA_OFFSET, lastOffsetDelta);
        o.putLong(BatchHeader.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        final boolean logAppendTime = (attributes & BatchHeader.TIMESTAMP_TYPE_MASK) != 0;
        o.putLong(BatchHeader.MAX_TIMESTAMP_OFFSET, logAppendTime ? originalMaxTimestamp : maxTimestamp);
        o.putLong(BatchHeader.PRODUCER_ID_OFFSET, producerId);
        o.putShort(BatchHeader.PRODUCER_EPOCH_OFFSET, producerEpoch);
        o.putInt(BatchHeader.BASE_SEQUENCE_OFFSET, baseSequence);
        o.putInt(BatchHeader.RECORD_COUNT_OFFSET, recordCount);
        o.put(HEADER_SIZE, payload, 0, payloadSize);
        crc.reset();
        final ByteBuffer covered = o.duplicate();
        covered.limit(size).position(BatchHeader.ATTRIBUTES_OFFSET);
        crc.update(covered);
        o.putInt(BatchHeader.CRC_OFFSET, (int) crc.getValue());
        o.limit(size).position(0);
        return o;
    }

    private void ensureRecordsRoom(int bytes) {
        if (records.remaining() < bytes) {
            final long needed = (long) records.position() + bytes;
            if (needed > ByteArrayOutput.MAX_ARRAY_SIZE) {
                throw new IllegalStateException("rebuilt batch would exceed " + ByteArrayOutput.MAX_ARRAY_SIZE
                        + " bytes");
            }
            final ByteBuffer bigger = ByteBuffer.allocate((int) Math.max(needed,
                    Math.min(2L * records.capacity(), ByteArrayOutput.MAX_ARRAY_SIZE)));
            records.flip();
            bigger.put(records);
            records = bigger;
        }
    }
}

package dev.skiff.protocol.record;

import dev.skiff.protocol.Errors;

import java.util.zip.CRC32C;

/**
 * What {@link BatchValidator} found in a produce payload: an error code (NONE when the batches may
 * be appended) and, when valid, the facts the broker needs without reading the batches again.
 *
 * <p>Mutable and reusable so that validating allocates nothing on success: a handler keeps one per
 * thread and passes it to {@link BatchValidator#validate(java.nio.ByteBuffer, int, ValidationResult)}.
 * Producer fields come from the first batch, {@link #lastSequence()} from the last; they are only
 * meaningful when {@link #isValid()}. Not thread-safe.
 */
public final class ValidationResult {
    // Scratch state the validator reuses, so that validating allocates nothing.
    final CRC32C crc = new CRC32C();
    final BatchHeader header = new BatchHeader();

    private Errors error = Errors.NONE;
    private String errorMessage = "";
    private int batchCount;
    private long recordCount;
    private int validBytes;
    private long producerId = BatchHeader.NO_PRODUCER_ID;
    private short producerEpoch = BatchHeader.NO_PRODUCER_EPOCH;
    private int baseSequence = BatchHeader.NO_SEQUENCE;
    private int lastSequence = BatchHeader.NO_SEQUENCE;
    private boolean transactional;
    private long maxTimestamp = BatchHeader.NO_TIMESTAMP;
    private CompressionType sourceCompression = CompressionType.NONE;

    void reset() {
        error = Errors.NONE;
        errorMessage = "";
        batchCount = 0;
        recordCount = 0;
        validBytes = 0;
        producerId = BatchHeader.NO_PRODUCER_ID;
        producerEpoch = BatchHeader.NO_PRODUCER_EPOCH;
        baseSequence = BatchHeader.NO_SEQUENCE;
        lastSequence = BatchHeader.NO_SEQUENCE;
        transactional = false;
        maxTimestamp = BatchHeader.NO_TIMESTAMP;
        sourceCompression = CompressionType.NONE;
    }

    ValidationResult fail(Errors error, String message) {
        this.error = error;
        this.errorMessage = message;
        return this;
    }

    /** Accounts for one more valid batch. */
    void add(BatchHeader batch, CompressionType compression) {
        if (batchCount == 0) {
            producerId = batch.producerId();
            producerEpoch = batch.producerEpoch();
            baseSequence = batch.baseSequence();
            transactional = batch.isTransactional();
        }
        batchCount++;
        recordCount += batch.recordCount();
        validBytes += batch.sizeInBytes();
        lastSequence = batch.lastSequence();
        maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
        if (compression != CompressionType.NONE) {
            sourceCompression = compression;
        }
    }

    /** {@link Errors#NONE} when the payload may be appended. */
    public Errors error() {
        return error;
    }

    /** Why the payload was rejected, for the produce response's error message; empty when valid. */
    public String errorMessage() {
        return errorMessage;
    }

    public boolean isValid() {
        return error == Errors.NONE;
    }

    public int batchCount() {
        return batchCount;
    }

    /** Records declared by all batches. */
    public long recordCount() {
        return recordCount;
    }

    /** Bytes of the batches validated (the whole payload when valid). */
    public int validBytes() {
        return validBytes;
    }

    /** Producer id of the first batch; -1 when not idempotent. */
    public long producerId() {
        return producerId;
    }

    public short producerEpoch() {
        return producerEpoch;
    }

    /** Base sequence of the first batch. */
    public int baseSequence() {
        return baseSequence;
    }

    /** Sequence of the last record of the last batch (wrapping as Kafka's sequences do). */
    public int lastSequence() {
        return lastSequence;
    }

    /** Whether the first batch is transactional. */
    public boolean isTransactional() {
        return transactional;
    }

    /** Largest maxTimestamp of all batches; -1 if none has a timestamp. */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    /** The codec of the last compressed batch, NONE if none is compressed (Kafka's "source codec"). */
    public CompressionType sourceCompression() {
        return sourceCompression;
    }

    @Override
    public String toString() {
        return isValid()
                ? "ValidationResult(NONE, batches=" + batchCount + ", records=" + recordCount + ")"
                : "ValidationResult(" + error + ": " + errorMessage + ")";
    }
}

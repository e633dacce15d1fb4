package dev.skiff.protocol.record;

import dev.skiff.protocol.Errors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import static dev.skiff.protocol.record.BatchHeader.HEADER_SIZE;
import static dev.skiff.protocol.record.BatchHeader.LENGTH_OFFSET;
import static dev.skiff.protocol.record.BatchHeader.LOG_OVERHEAD;
import static dev.skiff.protocol.record.BatchHeader.MAGIC_OFFSET;

/**
 * Checks a produce payload the way a Kafka broker does before appending it, from batch headers and
 * CRCs alone: no decompression, no record parsing, and no allocation when the payload is valid.
 *
 * <p>The checks, in Kafka's order, with Kafka's error codes:
 * <ol>
 * <li>empty payload: INVALID_RECORD (Kafka: "must have at least one record batch");
 * <li>framing of every batch: batchLength under 14 or magic outside 0..2: CORRUPT_MESSAGE; magic 0
 *     or 1: INVALID_RECORD (Produce v3+, the only versions Kafka 4 accepts, require magic 2);
 *     batchLength under the 61-byte v2 header: CORRUPT_MESSAGE; a partial trailing batch: INVALID_RECORD;
 * <li>{@link #validateProduce} only: zstd with Produce below v7: UNSUPPORTED_COMPRESSION_TYPE; more
 *     than one batch: INVALID_RECORD;
 * <li>per batch: baseOffset not 0: INVALID_RECORD; larger than maxBatchBytes: MESSAGE_TOO_LARGE;
 *     CRC-32C mismatch: CORRUPT_MESSAGE; unknown codec id: INVALID_RECORD; lastOffsetDelta + 1 not
 *     positive, recordCount not positive, or the two disagreeing: INVALID_RECORD; control batch:
 *     INVALID_RECORD; producer id without a sequence: INVALID_RECORD; LogAppendTime set by the
 *     producer: INVALID_TIMESTAMP.
 * </ol>
 * Where Skiff differs from Kafka, deliberately: a partial trailing batch is rejected (Kafka silently
 * drops the trailing bytes, or answers INVALID_RECORD if no complete batch precedes them), and an
 * unknown codec id is INVALID_RECORD (Kafka fails with UNKNOWN_SERVER_ERROR). Per-record checks that
 * need the records (timestamps against message.timestamp.*.ms, keys on compacted topics) are not
 * made here; {@link ValidationResult#maxTimestamp()} allows a batch-level timestamp check.
 *
 * <p>The payload buffer must not be used by another thread meanwhile: for direct buffers the CRC
 * pass moves its position and limit and restores them.
 */
public final class BatchValidator {
    /** Produce version that introduced zstd (KIP-110). */
    public static final short MIN_PRODUCE_VERSION_FOR_ZSTD = 7;

    /** Smallest batchLength any message format has (v0's record overhead); Kafka's first framing check. */
    private static final int MIN_ANY_FORMAT_LENGTH = 14;

    private BatchValidator() {
    }

    /** Validates {@code records}' remaining bytes into a new result. */
    public static ValidationResult validate(ByteBuffer records, int maxBatchBytes) {
        return validate(records, maxBatchBytes, new ValidationResult());
    }

    /**
     * Validates {@code records}' remaining bytes (any number of batches) into {@code result}.
     *
     * @param maxBatchBytes largest batch accepted, including its 12-byte log overhead
     *                      (Kafka's max.message.bytes)
     * @return {@code result}
     */
    public static ValidationResult validate(ByteBuffer records, int maxBatchBytes, ValidationResult result) {
        return run(records, maxBatchBytes, -1, result);
    }

    /**
     * Validates the records of one partition of a Produce request: {@link #validate} plus the
     * request-level rules of Kafka's Produce v3+ (exactly one batch; zstd from v7).
     */
    public static ValidationResult validateProduce(ByteBuffer records, int maxBatchBytes, short produceVersion,
                                                   ValidationResult result) {
        return run(records, maxBatchBytes, produceVersion, result);
    }

    private static ValidationResult run(ByteBuffer payload, int maxBatchBytes, int produceVersion,
                                        ValidationResult result) {
        result.reset();
        // Batches are big-endian; only a caller's little-endian view costs a duplicate.
        final ByteBuffer records = payload.order() == ByteOrder.BIG_ENDIAN ? payload : payload.duplicate();
        final int begin = records.position();
        final int end = records.limit();
        if (begin == end) {
            return result.fail(Errors.INVALID_RECORD,
                    "Produce requests must have at least one record batch per partition");
        }

        int batches = 0;
        for (int pos = begin; pos < end; batches++) {
            final int remaining = end - pos;
            if (remaining < LOG_OVERHEAD) {
                return partial(result, pos - begin, remaining);
            }
            final int batchLength = records.getInt(pos + LENGTH_OFFSET);
            if (batchLength < MIN_ANY_FORMAT_LENGTH) {
                return result.fail(Errors.CORRUPT_MESSAGE, "Record size " + batchLength + " at byte " + (pos - begin)
                        + " is less than the minimum record overhead (" + MIN_ANY_FORMAT_LENGTH + ")");
            }
            if (remaining > MAGIC_OFFSET) {
                final byte magic = records.get(pos + MAGIC_OFFSET);
                if (magic < 0 || magic > BatchHeader.MAGIC_V2) {
                    return result.fail(Errors.CORRUPT_MESSAGE, "Invalid magic found in record: " + magic);
                }
                if (magic != BatchHeader.MAGIC_V2) {
                    return result.fail(Errors.INVALID_RECORD,
                            "Produce requests are only allowed to contain record batches with magic version 2, "
                                    + "found magic " + magic);
                }
            }
            if (batchLength < HEADER_SIZE - LOG_OVERHEAD) {
                return result.fail(Errors.CORRUPT_MESSAGE, "Record batch at byte " + (pos - begin) + " has "
                        + (batchLength + LOG_OVERHEAD) + " bytes, less than the " + HEADER_SIZE
                        + "-byte v2 batch header");
            }
            if ((long) batchLength + LOG_OVERHEAD > remaining) {
                return partial(result, pos - begin, remaining);
            }
            pos += LOG_OVERHEAD + batchLength;
        }

        final BatchHeader batch = result.header;
        if (produceVersion >= 0) {
            batch.wrap(records, begin);
            if (produceVersion < MIN_PRODUCE_VERSION_FOR_ZSTD && batch.compressionId() == CompressionType.ZSTD.id()) {
                return result.fail(Errors.UNSUPPORTED_COMPRESSION_TYPE, "Produce requests with version "
                        + produceVersion + " are not allowed to use ZStandard compression");
            }
            if (batches > 1) {
                return result.fail(Errors.INVALID_RECORD, "Produce requests are only allowed to contain exactly one "
                        + "record batch per partition, found " + batches);
            }
        }

        for (int pos = begin; pos < end; pos = batch.end()) {
            batch.wrap(records, pos);
            if (!checkBatch(records, batch, maxBatchBytes, result)) {
                return result;
            }
            result.add(batch, CompressionType.forId(batch.compressionId()));
        }
        return result;
    }

    /** Per-batch checks; false after recording the first failure in {@code result}. */
    private static boolean checkBatch(ByteBuffer records, BatchHeader batch, int maxBatchBytes,
                                      ValidationResult result) {
        if (batch.baseOffset() != 0) {
            result.fail(Errors.INVALID_RECORD, "The baseOffset of the record batch should be 0, but it is "
                    + batch.baseOffset());
            return false;
        }
        if (batch.sizeInBytes() > maxBatchBytes) {
            result.fail(Errors.MESSAGE_TOO_LARGE, "The record batch size is " + batch.sizeInBytes()
                    + " bytes which exceeds the maximum configured value of " + maxBatchBytes + ".");
            return false;
        }
        if (!isCrcValid(records, batch, result.crc)) {
            result.fail(Errors.CORRUPT_MESSAGE, "Record is corrupt (stored crc = " + batch.crc()
                    + ", computed crc = " + result.crc.getValue() + ")");
            return false;
        }
        if (!CompressionType.isValidId(batch.compressionId())) {
            result.fail(Errors.INVALID_RECORD, "Unknown compression codec id " + batch.compressionId());
            return false;
        }
        final long countFromOffsets = (long) batch.lastOffsetDelta() + 1;
        if (countFromOffsets <= 0) {
            result.fail(Errors.INVALID_RECORD, "Batch has an invalid offset range: [" + batch.baseOffset() + ", "
                    + batch.lastOffset() + "]");
            return false;
        }
        final int count = batch.recordCount();
        if (count <= 0) {
            result.fail(Errors.INVALID_RECORD, "Invalid reported count for record batch: " + count);
            return false;
        }
        if (countFromOffsets != count) {
            result.fail(Errors.INVALID_RECORD, "Inconsistent batch offset range [" + batch.baseOffset() + ", "
                    + batch.lastOffset() + "] and count of records " + count);
            return false;
        }
        if (batch.isControl()) {
            result.fail(Errors.INVALID_RECORD, "Clients are not allowed to write control records");
            return false;
        }
        if (batch.hasProducerId() && batch.baseSequence() < 0) {
            result.fail(Errors.INVALID_RECORD, "Invalid sequence number " + batch.baseSequence()
                    + " in record batch with producerId " + batch.producerId());
            return false;
        }
        if (batch.isLogAppendTime()) {
            result.fail(Errors.INVALID_TIMESTAMP, "Invalid timestamp type in record batch. Producer should not set "
                    + "timestamp type to LogAppendTime.");
            return false;
        }
        return true;
    }

    private static ValidationResult partial(ValidationResult result, int at, int remaining) {
        // INVALID_RECORD, as Kafka answers (it finds no complete batch): clients treat it as fatal, whereas
        // CORRUPT_MESSAGE is retriable and would make a producer resend the same bytes until it times out.
        return result.fail(Errors.INVALID_RECORD, "Trailing " + remaining + " bytes at byte " + at
                + " do not form a complete record batch");
    }

    /** CRC-32C of attributes..end against the stored value, without allocating. */
    static boolean isCrcValid(ByteBuffer records, BatchHeader batch, CRC32C crc) {
        final int from = batch.start() + BatchHeader.ATTRIBUTES_OFFSET;
        final int to = batch.end();
        crc.reset();
        if (records.hasArray()) {
            crc.update(records.array(), records.arrayOffset() + from, to - from);
        } else {
            final int position = records.position();
            final int limit = records.limit();
            try {
                records.limit(to).position(from);
                crc.update(records);
            } finally {
                records.limit(limit).position(position);
            }
        }
        return crc.getValue() == batch.crc();
    }
}

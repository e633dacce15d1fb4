package dev.skiff.storage;

import dev.skiff.protocol.Varints;
import dev.skiff.protocol.record.BatchHeader;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Writes valid v2 record batches for tests: uncompressed records, CRC-32C, base offset 0 (the log assigns it).
 *
 * <p>Record layout (all varints zigzag): length, attributes int8, timestampDelta, offsetDelta, keyLength (-1 =
 * null key), key, valueLength, value, headerCount (0).
 */
public final class TestBatches {
    private long producerId = BatchHeader.NO_PRODUCER_ID;
    private short producerEpoch = BatchHeader.NO_PRODUCER_EPOCH;
    private int baseSequence = BatchHeader.NO_SEQUENCE;
    private long[] timestamps = {1_000L};
    private int valueSize = 10;
    private short attributes;
    private long logAppendTime = -1L;
    private byte valueByte = 'v';

    private TestBatches() {
    }

    /** A builder for a one-record batch with timestamp 1000 and a 10-byte value. */
    public static TestBatches batch() {
        return new TestBatches();
    }

    /** A batch of {@code n} records with timestamps 1000, 1001, ... */
    public static ByteBuffer records(int n) {
        return batch().count(n, 1_000L).build();
    }

    public TestBatches count(int n, long firstTimestamp) {
        timestamps = new long[n];
        for (int i = 0; i < n; i++) {
            timestamps[i] = firstTimestamp + i;
        }
        return this;
    }

    /** One record per timestamp given. */
    public TestBatches timestamps(long... values) {
        timestamps = values.clone();
        return this;
    }

    public TestBatches valueSize(int bytes) {
        valueSize = bytes;
        return this;
    }

    public TestBatches valueByte(int b) {
        valueByte = (byte) b;
        return this;
    }

    public TestBatches producer(long id, int epoch, int sequence) {
        producerId = id;
        producerEpoch = (short) epoch;
        baseSequence = sequence;
        return this;
    }

    /** Marks the batch LogAppendTime with the given broker time as its maxTimestamp. */
    public TestBatches logAppendTime(long time) {
        attributes |= BatchHeader.TIMESTAMP_TYPE_MASK;
        logAppendTime = time;
        return this;
    }

    /** Sets a compression codec bit without compressing: the log never looks inside, so this is enough. */
    public TestBatches pretendCompressed() {
        attributes |= 1;
        return this;
    }

    public ByteBuffer build() {
        final int n = timestamps.length;
        final long base = timestamps[0];
        long max = Long.MIN_VALUE;
        for (long t : timestamps) {
            max = Math.max(max, t);
        }
        final ByteBuffer records = ByteBuffer.allocate(n * (valueSize + 40));
        for (int i = 0; i < n; i++) {
            final ByteBuffer body = ByteBuffer.allocate(valueSize + 32);
            body.put((byte) 0);
            Varints.writeVarlong(timestamps[i] - base, body);
            Varints.writeVarint(i, body);
            Varints.writeVarint(-1, body);
            Varints.writeVarint(valueSize, body);
            for (int b = 0; b < valueSize; b++) {
                body.put(valueByte);
            }
            Varints.writeVarint(0, body);
            body.flip();
            Varints.writeVarint(body.remaining(), records);
            records.put(body);
        }
        records.flip();
        final ByteBuffer batch = ByteBuffer.allocate(BatchHeader.HEADER_SIZE + records.remaining());
        batch.putLong(0L)
                .putInt(batch.capacity() - BatchHeader.LOG_OVERHEAD)
                .putInt(-1)
                .put(BatchHeader.MAGIC_V2)
                .putInt(0)
                .putShort(attributes)
                .putInt(n - 1)
                .putLong(base)
                .putLong(logAppendTime >= 0 ? logAppendTime : max)
                .putLong(producerId)
                .putShort(producerEpoch)
                .putInt(baseSequence)
                .putInt(n)
                .put(records);
        batch.flip();
        final CRC32C crc = new CRC32C();
        crc.update(batch.duplicate().position(BatchHeader.ATTRIBUTES_OFFSET));
        batch.putInt(BatchHeader.CRC_OFFSET, (int) crc.getValue());
        return batch;
    }

    /** The batches back to back in one buffer, as a Produce request carries them. */
    public static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        final ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            all.put(b.duplicate());
        }
        return all.flip();
    }

    /** A copy, so one batch can be appended twice (the log writes offsets into the buffer it gets). */
    public static ByteBuffer copy(ByteBuffer batch) {
        final ByteBuffer c = ByteBuffer.allocate(batch.remaining());
        c.put(batch.duplicate()).flip();
        return c;
    }
}

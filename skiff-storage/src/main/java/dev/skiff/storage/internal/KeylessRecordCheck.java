package dev.skiff.storage.internal;

import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.record.BatchHeader;
import dev.skiff.protocol.record.RecordReader;
import java.nio.ByteBuffer;

/**
 * The one record-level rule a compacted log adds to an append: every record needs a key, because compaction
 * keeps the latest record per key and a keyless one could never be kept or replaced (Kafka refuses it with
 * INVALID_RECORD).
 *
 * <p>This is the only place the append path looks inside batches, and only for compacted logs: a compressed
 * batch is inflated once into the reader's reused buffer; keys are checked from their length field without
 * copying. Control batches (transaction markers) carry their own keys and are exempt. Writer thread only.
 */
public final class KeylessRecordCheck {
    private final RecordReader reader = new RecordReader();

    /**
     * Checks the batches at {@code starts[0..count)} of {@code buf}.
     *
     * @return null when every record has a key, else where the first keyless record is (batch index and offset
     *         delta), for logging
     * @throws DecodeException if a batch's records do not parse
     */
    public String firstKeyless(ByteBuffer buf, int[] starts, int count, BatchHeader header) {
        for (int i = 0; i < count; i++) {
            header.wrap(buf, starts[i]);
            if (header.isControl()) {
                continue;
            }
            reader.open(buf, starts[i]);
            while (reader.next()) {
                if (!reader.hasKey()) {
                    return "batch " + i + ", record " + reader.offsetDelta();
                }
            }
        }
        return null;
    }
}

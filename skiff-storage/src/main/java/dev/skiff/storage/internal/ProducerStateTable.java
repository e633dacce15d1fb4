package dev.skiff.storage.internal;

import dev.skiff.protocol.record.BatchHeader;
import dev.skiff.storage.AppendResult;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Idempotent-producer state of one partition: per producer id, its epoch and last five batches.
 *
 * <p>Rules for a batch with producerId &gt;= 0 (control batches are exempt), as Kafka's ProducerStateManager
 * applies them to a client's append:
 * <ol>
 *   <li>same epoch and the same (firstSeq, lastSeq) as a remembered batch: a retry, answered with the
 *       original offsets and nothing written (the whole append call is answered that way, as Kafka does);</li>
 *   <li>epoch older than the latest seen: INVALID_PRODUCER_EPOCH;</li>
 *   <li>a newer epoch must start at sequence 0, unless the producer is unknown: OUT_OF_ORDER_SEQUENCE;</li>
 *   <li>same epoch: firstSeq must be lastSeq + 1, wrapping to 0 after {@link Integer#MAX_VALUE}, unless the
 *       producer is unknown to the log (its state was lost to retention or expiry), which may start anywhere.</li>
 * </ol>
 * Several batches in one append call are checked in order, each against the state the earlier ones leave.
 * Nothing is changed until the log has written the batches ({@link #apply}). Single-threaded: the log's writer.
 */
public final class ProducerStateTable {
    private final LongHashMap<ProducerEntry> producers = new LongHashMap<>();
    private final BatchHeader earlier = new BatchHeader();

    /** The entry for {@code producerId}, or null. */
    public ProducerEntry get(long producerId) {
        return producers.get(producerId);
    }

    /** Adds or replaces an entry (snapshot loading). */
    public void put(ProducerEntry entry) {
        producers.put(entry.producerId(), entry);
    }

    public int size() {
        return producers.size();
    }

    public void clear() {
        producers.clear();
    }

    /** Visits every producer. */
    public void forEach(Consumer<ProducerEntry> action) {
        producers.forEachValue(action);
    }

    /** Forgets producers whose last batch is {@code expirationMs} or more older than {@code nowMs}. */
    public int expire(long nowMs, long expirationMs) {
        return producers.removeIf(e -> nowMs - e.lastTimestamp() >= expirationMs);
    }

    /** The last sequence of a batch, wrapping past {@link Integer#MAX_VALUE} to 0 as producers do. */
    public static int lastSequence(int baseSequence, int lastOffsetDelta) {
        if (baseSequence > Integer.MAX_VALUE - lastOffsetDelta) {
            return lastOffsetDelta - (Integer.MAX_VALUE - baseSequence) - 1;
        }
        return baseSequence + lastOffsetDelta;
    }

    /** Whether {@code next} directly follows {@code last}. */
    public static boolean inSequence(int last, int next) {
        return next == last + 1L || (next == 0 && last == Integer.MAX_VALUE);
    }

    /**
     * Checks the batches at {@code starts[0..count)} of {@code buf} against the rules.
     *
     * @return null when all may be appended, else the result to answer with (duplicate or rejection)
     */
    public AppendResult check(ByteBuffer buf, int[] starts, int count, BatchHeader batch, long logStartOffset) {
        for (int i = 0; i < count; i++) {
            batch.wrap(buf, starts[i]);
            final long producerId = batch.producerId();
            if (producerId < 0 || batch.isControl()) {
                continue;
            }
            final short epoch = batch.producerEpoch();
            final int firstSeq = batch.baseSequence();
            final int lastSeq = lastSequence(firstSeq, batch.lastOffsetDelta());
            final ProducerEntry current = producers.get(producerId);
            if (current != null && current.epoch() == epoch) {
                final int dup = current.findBatch(firstSeq, lastSeq);
                if (dup >= 0) {
                    return new AppendResult(AppendResult.Status.DUPLICATE, current.firstOffset(dup),
                            current.lastOffset(dup), -1L, logStartOffset, null);
                }
            }
            final int currentEpoch = current == null ? BatchHeader.NO_PRODUCER_EPOCH : current.epoch();
            // The state as the earlier batches of this call leave it, else as the log has it.
            int updatedEpoch = currentEpoch;
            int updatedLastSeq = current == null ? BatchHeader.NO_SEQUENCE : current.lastSeq();
            for (int j = i - 1; j >= 0; j--) {
                earlier.wrap(buf, starts[j]);
                if (earlier.producerId() == producerId && !earlier.isControl()) {
                    updatedEpoch = earlier.producerEpoch();
                    updatedLastSeq = lastSequence(earlier.baseSequence(), earlier.lastOffsetDelta());
                    break;
                }
            }
            if (epoch < updatedEpoch) {
                return AppendResult.rejected(AppendResult.Status.INVALID_PRODUCER_EPOCH, logStartOffset,
                        "Producer " + producerId + " has epoch " + epoch + ", older than the current epoch "
                                + updatedEpoch + "; a newer instance of this producer exists");
            }
            if (epoch != updatedEpoch) {
                if (firstSeq != 0 && updatedEpoch != BatchHeader.NO_PRODUCER_EPOCH) {
                    return AppendResult.rejected(AppendResult.Status.OUT_OF_ORDER_SEQUENCE, logStartOffset,
                            "Producer " + producerId + " starts new epoch " + epoch + " at sequence " + firstSeq
                                    + "; a new epoch must start at 0");
                }
            } else if (currentEpoch != BatchHeader.NO_PRODUCER_EPOCH && !inSequence(updatedLastSeq, firstSeq)) {
                return AppendResult.rejected(AppendResult.Status.OUT_OF_ORDER_SEQUENCE, logStartOffset,
                        "Out of order sequence for producer " + producerId + " epoch " + epoch + ": got " + firstSeq
                                + ", expected " + (updatedLastSeq == Integer.MAX_VALUE ? 0 : updatedLastSeq + 1));
            }
        }
        return null;
    }

    /** Records a batch that is now in the log with its final offsets (also used to replay the log). */
    public void apply(BatchHeader batch) {
        final long producerId = batch.producerId();
        if (producerId < 0 || batch.isControl()) {
            return;
        }
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            entry = new ProducerEntry(producerId, batch.producerEpoch());
            producers.put(producerId, entry);
        }
        final int firstSeq = batch.baseSequence();
        entry.addBatch(batch.producerEpoch(), firstSeq, lastSequence(firstSeq, batch.lastOffsetDelta()),
                batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp());
    }
}

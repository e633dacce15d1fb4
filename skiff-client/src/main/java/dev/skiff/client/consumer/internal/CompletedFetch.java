package dev.skiff.client.consumer.internal;

import dev.skiff.client.consumer.ConsumerException;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.FetchResponseData;
import dev.skiff.protocol.record.BatchHeader;
import dev.skiff.protocol.record.BatchIterator;
import dev.skiff.protocol.record.RecordReader;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The records one fetch answer carried for one partition, read batch by batch as the application polls.
 *
 * <p>Batches are walked with a lenient {@link BatchIterator}: a broker may cut the last batch of an
 * answer short at its byte limit, and that tail is simply fetched again from the next position. A
 * fetch that starts inside a batch gets the whole batch, so records below the position are skipped.
 * Control batches (transaction markers) are never returned, but move the position past them. Under
 * read_committed, batches of transactions the answer lists as aborted are skipped too: a producer id
 * joins the aborted set when its transaction's first offset is reached, and leaves it at its abort
 * marker.
 *
 * <p>Only one completed fetch is read at a time (the fetcher's "in line" one), which is why the
 * {@link RecordReader} and its decompression buffer can be shared.
 */
final class CompletedFetch {
    /** Control record key type of an abort marker. */
    private static final short ABORT_MARKER = 0;

    /** Receives one record; returns false to stop reading (deserialization failed). */
    interface Sink {
        boolean accept(PartitionState state, RecordReader reader, BatchHeader batch);
    }

    final PartitionState state;
    final int epoch;
    final long fetchOffset;
    private final BatchIterator batches;
    private final RecordReader reader;
    private final boolean checkCrcs;
    private final boolean readCommitted;
    private final ArrayDeque<FetchResponseData.AbortedTransaction> aborted;
    private final Set<Long> abortedProducers = new HashSet<>();
    private BatchHeader batch;
    private boolean done;
    private boolean stopped;

    CompletedFetch(PartitionState state, long fetchOffset, ByteBuffer records, RecordReader reader, boolean checkCrcs,
                   boolean readCommitted, List<FetchResponseData.AbortedTransaction> abortedTransactions) {
        this.state = state;
        this.epoch = state.epoch;
        this.fetchOffset = fetchOffset;
        this.batches = BatchIterator.lenient(records);
        this.reader = reader;
        this.checkCrcs = checkCrcs;
        this.readCommitted = readCommitted;
        final List<FetchResponseData.AbortedTransaction> sorted = abortedTransactions == null ? new ArrayList<>()
                : new ArrayList<>(abortedTransactions);
        sorted.sort((a, b) -> Long.compare(a.firstOffset(), b.firstOffset()));
        this.aborted = new ArrayDeque<>(sorted);
    }

    /** Whether the position moved since this was fetched, making its data useless. */
    boolean isStale() {
        return state.epoch != epoch;
    }

    boolean isDone() {
        return done;
    }

    /** Whether the sink refused a record; the rest is dropped and fetched again from the position. */
    boolean isStopped() {
        return stopped;
    }

    /**
     * Hands up to {@code max} records to {@code sink}, advancing the partition's position.
     *
     * @return records handed over
     */
    int drain(int max, Sink sink) {
        int count = 0;
        while (count < max && !done) {
            if (batch == null && !nextBatch()) {
                done = true;
                break;
            }
            if (!reader.next()) {
                state.position = Math.max(state.position, batch.lastOffset() + 1);
                batch = null;
                continue;
            }
            if (reader.offset() < state.position) {
                continue;
            }
            if (!sink.accept(state, reader, batch)) {
                done = true;
                stopped = true;
                break;
            }
            state.position = reader.offset() + 1;
            count++;
        }
        return count;
    }

    /** Opens the next batch that has records to return; false when none is left. */
    private boolean nextBatch() {
        while (batches.hasNext()) {
            final BatchHeader b = batches.next();
            if (b.lastOffset() < state.position) {
                continue;
            }
            if (checkCrcs && !b.isCrcValid()) {
                throw new ConsumerException("The batch at offset " + b.baseOffset() + " of " + state.tp
                        + " fails its CRC check: the data is corrupt on the broker or in transit; seek past offset "
                        + b.lastOffset() + " to skip it", Errors.CORRUPT_MESSAGE);
            }
            if (readCommitted) {
                while (!aborted.isEmpty() && aborted.peekFirst().firstOffset() <= b.lastOffset()) {
                    abortedProducers.add(aborted.pollFirst().producerId());
                }
            }
            if (b.isControl()) {
                if (readCommitted && abortedProducers.contains(b.producerId()) && isAbortMarker(b)) {
                    abortedProducers.remove(b.producerId());
                }
                state.position = Math.max(state.position, b.lastOffset() + 1);
                continue;
            }
            if (readCommitted && b.isTransactional() && abortedProducers.contains(b.producerId())) {
                state.position = Math.max(state.position, b.lastOffset() + 1);
                continue;
            }
            reader.open(b);
            batch = b;
            return true;
        }
        return false;
    }

    /** Whether a control batch holds an abort marker (its record key: version int16, type int16). */
    private boolean isAbortMarker(BatchHeader b) {
        reader.open(b);
        if (!reader.next()) {
            return false;
        }
        final ByteBuffer key = reader.key();
        return key != null && key.remaining() >= 4 && key.getShort(key.position() + 2) == ABORT_MARKER;
    }
}

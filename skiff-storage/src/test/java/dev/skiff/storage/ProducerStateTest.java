package dev.skiff.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.protocol.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProducerStateTest {
    private static final TopicPartition TP = new TopicPartition("idempotent", 0);
    private static final long PID = 4242L;

    @TempDir
    Path root;
    private final StorageTestSupport.MutableClock clock = new StorageTestSupport.MutableClock(0);
    private LogManager manager;
    private PartitionLog log;

    @BeforeEach
    void open() {
        manager = LogManager.open(root.resolve("logs"), LogConfig.defaults(), clock);
        log = manager.createLog(TP, LogConfig.defaults());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** A batch of {@code records} records from producer {@link #PID}. */
    private static ByteBuffer batch(int epoch, int sequence, int records) {
        return TestBatches.batch().count(records, 1000).producer(PID, epoch, sequence).build();
    }

    private AppendResult append(ByteBuffer batch) {
        return log.append(batch, clock.millis());
    }

    @Test
    void aRetriedBatchIsAnsweredWithItsOriginalOffsets() {
        final ByteBuffer first = batch(0, 0, 5);
        final ByteBuffer retry = TestBatches.copy(first);
        append(TestBatches.records(3));
        assertThat(append(first).firstOffset()).isEqualTo(3);
        append(batch(0, 5, 5));

        final AppendResult r = append(retry);

        assertThat(r.status()).isEqualTo(AppendResult.Status.DUPLICATE);
        assertThat(r.status().error()).isEqualTo(Errors.NONE);
        assertThat(r.firstOffset()).isEqualTo(3);
        assertThat(r.lastOffset()).isEqualTo(7);
        assertThat(log.logEndOffset()).as("nothing appended").isEqualTo(13);
    }

    @Test
    void aSequenceGapIsOutOfOrder() {
        append(batch(0, 0, 5));

        final AppendResult r = append(batch(0, 6, 1));

        assertThat(r.status()).isEqualTo(AppendResult.Status.OUT_OF_ORDER_SEQUENCE);
        assertThat(r.status().error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(r.firstOffset()).isEqualTo(-1);
        assertThat(r.message()).contains("expected 5");
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(append(batch(0, 5, 1)).status()).isEqualTo(AppendResult.Status.APPENDED);
    }

    @Test
    void anOlderEpochIsFenced() {
        append(batch(3, 0, 1));

        final AppendResult r = append(batch(2, 1, 1));

        assertThat(r.status()).isEqualTo(AppendResult.Status.INVALID_PRODUCER_EPOCH);
        assertThat(r.status().error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void aNewEpochMustStartAtSequenceZero() {
        append(batch(0, 0, 3));

        assertThat(append(batch(1, 3, 1)).status()).isEqualTo(AppendResult.Status.OUT_OF_ORDER_SEQUENCE);
        assertThat(append(batch(1, 0, 1)).status()).isEqualTo(AppendResult.Status.APPENDED);
        assertThat(append(batch(1, 1, 1)).status()).isEqualTo(AppendResult.Status.APPENDED);
    }

    @Test
    void batchesOfAnOldEpochAreNoLongerRecognisedAsRetries() {
        final ByteBuffer old = batch(0, 0, 1);
        final ByteBuffer oldRetry = TestBatches.copy(old);
        append(old);
        append(batch(1, 0, 1));

        assertThat(append(oldRetry).status()).isEqualTo(AppendResult.Status.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void anUnknownProducerMayStartAtAnySequence() {
        assertThat(append(batch(7, 1234, 2)).status()).isEqualTo(AppendResult.Status.APPENDED);
        assertThat(append(batch(7, 1236, 1)).status()).isEqualTo(AppendResult.Status.APPENDED);
    }

    @Test
    void sequencesWrapToZeroAfterIntegerMaxValue() {
        append(batch(0, Integer.MAX_VALUE - 1, 2));
        assertThat(append(batch(0, 0, 1)).status()).isEqualTo(AppendResult.Status.APPENDED);

        // A batch may wrap inside itself: MAX_VALUE, 0, 1.
        final PartitionLog other = manager.createLog(new TopicPartition("idempotent", 1), LogConfig.defaults());
        other.append(batch(0, Integer.MAX_VALUE, 3), 0);
        assertThat(other.append(batch(0, 2, 1), 0).status()).isEqualTo(AppendResult.Status.APPENDED);
    }

    @Test
    void onlyTheLastFiveBatchesAreRemembered() {
        final ByteBuffer first = batch(0, 0, 1);
        final ByteBuffer firstRetry = TestBatches.copy(first);
        final ByteBuffer second = batch(0, 1, 1);
        final ByteBuffer secondRetry = TestBatches.copy(second);
        append(first);
        append(second);
        for (int seq = 2; seq < 6; seq++) {
            append(batch(0, seq, 1));
        }

        assertThat(append(firstRetry).status()).isEqualTo(AppendResult.Status.OUT_OF_ORDER_SEQUENCE);
        assertThat(append(secondRetry).status()).isEqualTo(AppendResult.Status.DUPLICATE);
    }

    @Test
    void batchesOfOneAppendAreCheckedInOrder() {
        assertThat(append(TestBatches.concat(batch(0, 0, 2), batch(0, 2, 3))).status())
                .isEqualTo(AppendResult.Status.APPENDED);

        final AppendResult gap = append(TestBatches.concat(batch(0, 5, 1), batch(0, 7, 1)));

        assertThat(gap.status()).isEqualTo(AppendResult.Status.OUT_OF_ORDER_SEQUENCE);
        assertThat(log.logEndOffset()).as("the whole append is rejected").isEqualTo(5);
        assertThat(append(TestBatches.concat(batch(0, 5, 1), batch(0, 6, 1))).lastOffset()).isEqualTo(6);
    }

    @Test
    void nonIdempotentBatchesAreNotChecked() {
        append(TestBatches.records(1));
        append(TestBatches.records(1));

        assertThat(log.producerCount()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    private void assertStateSurvived(PartitionLog restarted, ByteBuffer retryOfLast, long lastFirstOffset) {
        final AppendResult dup = restarted.append(retryOfLast, 0);
        assertThat(dup.status()).isEqualTo(AppendResult.Status.DUPLICATE);
        assertThat(dup.firstOffset()).isEqualTo(lastFirstOffset);
        assertThat(restarted.append(batch(0, 99, 1), 0).status())
                .isEqualTo(AppendResult.Status.OUT_OF_ORDER_SEQUENCE);
        assertThat(restarted.append(batch(0, 30, 1), 0).status()).isEqualTo(AppendResult.Status.APPENDED);
    }

    /** Ten batches of three records, sequences 0..29; returns a copy of the last for retrying. */
    private ByteBuffer writeTen(PartitionLog target) {
        ByteBuffer last = null;
        for (int i = 0; i < 10; i++) {
            final ByteBuffer b = batch(0, 3 * i, 3);
            last = TestBatches.copy(b);
            target.append(b, 0);
        }
        return last;
    }

    @Test
    void producerStateSurvivesACleanRestart() {
        final ByteBuffer last = writeTen(log);
        manager.close();

        manager = LogManager.open(root.resolve("logs"), LogConfig.defaults(), clock);
        assertStateSurvived(manager.log(TP), last, 27);
    }

    @Test
    void producerStateSurvivesAnUncleanRestart() throws IOException {
        final PartitionLog small = manager.createLog(new TopicPartition("idempotent", 2),
                StorageTestSupport.small().segmentBytes(300).build());
        final ByteBuffer lastDefault = writeTen(log);
        final ByteBuffer lastSmall = writeTen(small);
        assertThat(small.segmentCount()).as("rolled, so snapshots exist").isGreaterThan(2);
        StorageTestSupport.crashCopy(root.resolve("logs"), root.resolve("crashed"));
        manager.close();

        manager = LogManager.open(root.resolve("crashed"), LogConfig.defaults(), clock);
        assertStateSurvived(manager.log(TP), lastDefault, 27);
        assertStateSurvived(manager.log(new TopicPartition("idempotent", 2)), lastSmall, 27);
    }

    @Test
    void producerStateIsRebuiltFromTheLogWhenSnapshotsAreCorrupt() throws IOException {
        final ByteBuffer last = writeTen(log);
        manager.close();
        try (Stream<Path> files = Files.list(root.resolve("logs").resolve(TP.toString()))) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".snapshot"))::iterator) {
                Files.write(p, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
            }
        }

        manager = LogManager.open(root.resolve("logs"), LogConfig.defaults(), clock);
        assertStateSurvived(manager.log(TP), last, 27);
    }

    @Test
    void idleProducersExpire() {
        final PartitionLog expiring = manager.createLog(new TopicPartition("idempotent", 3),
                LogConfig.builder().producerIdExpirationMs(1000).build());
        expiring.append(batch(0, 0, 1), 0);
        clock.set(1000 + 999);
        assertThat(manager.expireProducers()).isZero();

        clock.set(1000 + 1000);
        assertThat(manager.expireProducers()).isEqualTo(1);
        assertThat(expiring.producerCount()).isZero();
        assertThat(expiring.append(batch(0, 500, 1), 0).status()).isEqualTo(AppendResult.Status.APPENDED);
    }
}

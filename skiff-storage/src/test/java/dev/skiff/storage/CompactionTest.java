package dev.skiff.storage;

import static dev.skiff.storage.CompactionTestSupport.batch;
import static dev.skiff.storage.CompactionTestSupport.batches;
import static dev.skiff.storage.CompactionTestSupport.compacted;
import static dev.skiff.storage.CompactionTestSupport.producerBatch;
import static dev.skiff.storage.CompactionTestSupport.record;
import static dev.skiff.storage.CompactionTestSupport.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.record.BatchHeader;
import dev.skiff.protocol.record.BatchIterator;
import dev.skiff.protocol.record.CompressionType;
import dev.skiff.protocol.record.RecordReader;
import dev.skiff.storage.CompactionTestSupport.Rec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CompactionTest {
    private static final TopicPartition TP = new TopicPartition("compacted", 0);

    @TempDir
    Path root;
    private final StorageTestSupport.MutableClock clock = new StorageTestSupport.MutableClock(0);

    private LogManager open(Path dir, LogConfig config) {
        return LogManager.open(dir, config, clock);
    }

    /** Writes {@code count} one-record batches cycling over {@code keys} keys; returns what was written. */
    private static List<Rec> writeCycling(PartitionLog log, int count, int keys, long firstTimestamp) {
        final List<Rec> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final String key = "k" + (i % keys);
            final String value = "value-" + i;
            final long ts = firstTimestamp + i;
            final AppendResult r = log.append(record(key, value, ts), ts);
            assertThat(r.status()).isEqualTo(AppendResult.Status.APPENDED);
            written.add(new Rec(r.firstOffset(), key, value, ts));
        }
        return written;
    }

    /**
     * What compaction must leave: below {@code cleanedUpTo} only the last record of each key written there
     * (tombstones too, when {@code keepTombstones}), every record from there on.
     */
    private static List<Rec> expected(List<Rec> written, long cleanedUpTo, boolean keepTombstones) {
        final Map<String, Long> latest = new HashMap<>();
        for (Rec r : written) {
            if (r.offset() < cleanedUpTo && r.key() != null) {
                latest.put(r.key(), r.offset());
            }
        }
        final List<Rec> out = new ArrayList<>();
        for (Rec r : written) {
            if (r.offset() >= cleanedUpTo) {
                out.add(r);
            } else if (r.key() != null && latest.get(r.key()) == r.offset()
                    && (keepTombstones || r.value() != null)) {
                out.add(r);
            }
        }
        return out;
    }

    private static long activeBase(PartitionLog log) throws IOException {
        try (Stream<Path> files = Files.list(log.dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElseThrow();
        }
    }

    @Test
    void latestValuePerKeyIsKeptAtItsOriginalOffset() throws IOException {
        try (LogManager m = open(root, compacted().build())) {
            final PartitionLog log = m.createLog(TP, compacted().build());
            final List<Rec> written = writeCycling(log, 200, 5, 1_000);
            final long sizeBefore = log.sizeInBytes();
            final int segmentsBefore = log.segmentCount();
            final long active = activeBase(log);

            final CompactionResult result = log.compact(10_000);

            assertThat(result.cleaned()).isTrue();
            assertThat(result.dirtyRatio()).isEqualTo(1.0);
            assertThat(result.firstDirtyOffset()).isZero();
            assertThat(result.cleanedUpTo()).isEqualTo(active);
            assertThat(result.bytesAfter()).isLessThan(result.bytesBefore() / 10);
            assertThat(result.segmentsAfter()).as("merged").isLessThanOrEqualTo(2)
                    .isLessThan(result.segmentsBefore());
            assertThat(result.recordsRemoved()).isEqualTo(active - 5);
            assertThat(records(log)).isEqualTo(expected(written, active, true));
            assertThat(log.logStartOffset()).isZero();
            assertThat(log.logEndOffset()).isEqualTo(200);
            assertThat(log.sizeInBytes()).isLessThan(sizeBefore);
            assertThat(log.segmentCount()).isEqualTo(1 + result.segmentsAfter()).isLessThan(segmentsBefore);
            try (Stream<Path> files = Files.list(log.dir())) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .noneMatch(n -> n.endsWith(".cleaned") || n.endsWith(".swap") || n.endsWith(".deleted"));
            }
            // New appends continue at the old end.
            assertThat(log.append(record("k1", "after", 5_000), 5_000).firstOffset()).isEqualTo(200);
        }
    }

    @Test
    void tombstoneIsKeptUntilDeleteRetentionHasPassedSinceItWasFirstCleaned() throws IOException {
        final LogConfig config = compacted().deleteRetentionMs(1_000).build();
        try (LogManager m = open(root, config)) {
            final PartitionLog log = m.createLog(TP, config);
            final List<Rec> written = new ArrayList<>();
            written.add(new Rec(log.append(record("gone", "a", 1), 1).firstOffset(), "gone", "a", 1));
            written.add(new Rec(log.append(record("kept", "b", 2), 2).firstOffset(), "kept", "b", 2));
            written.add(new Rec(log.append(record("gone", null, 3), 3).firstOffset(), "gone", null, 3));
            written.addAll(writeCycling(log, 40, 3, 10));
            final long active = activeBase(log);

            assertThat(log.compact(5_000).cleaned()).isTrue();
            assertThat(records(log)).isEqualTo(expected(written, active, true))
                    .contains(new Rec(2, "gone", null, 3));

            // 999 ms later nothing is due: no new dirty data and the tombstone's horizon (6000) is ahead.
            assertThat(log.compact(5_999).cleaned()).isFalse();
            assertThat(records(log)).contains(new Rec(2, "gone", null, 3));

            final CompactionResult expiry = log.compact(6_000);
            assertThat(expiry.cleaned()).isTrue();
            assertThat(expiry.recordsRemoved()).isEqualTo(1);
            assertThat(records(log)).isEqualTo(expected(written, active, false))
                    .noneMatch(r -> r.key().equals("gone"))
                    .contains(new Rec(1, "kept", "b", 2));
        }
    }

    @Test
    void recordsWithoutKeyAreRefusedByACompactedLog() {
        try (LogManager m = open(root, compacted().build())) {
            final PartitionLog log = m.createLog(TP, compacted().build());
            log.append(record("k", "v", 1), 1);

            for (ByteBuffer keyless : List.of(record(null, "v", 2), batch(CompressionType.NONE, 2, "a", "1", null, "2"),
                    batch(CompressionType.GZIP, 2, "a", "1", null, "2"))) {
                final AppendResult r = log.append(keyless, 2);
                assertThat(r.status()).isEqualTo(AppendResult.Status.INVALID_RECORD);
                assertThat(r.status().error()).isEqualTo(Errors.INVALID_RECORD);
                assertThat(r.message()).isEqualTo(
                        "Compacted topic cannot accept message without key in topic partition compacted-0.");
                assertThat(r.firstOffset()).isEqualTo(-1);
            }
            assertThat(log.logEndOffset()).isEqualTo(1);

            final PartitionLog plain = m.createLog(new TopicPartition("plain", 0), StorageTestSupport.small().build());
            assertThat(plain.append(record(null, "v", 1), 1).status()).isEqualTo(AppendResult.Status.APPENDED);
        }
    }

    @Test
    void keylessRecordsWrittenBeforeThePolicyChangedAreDropped() throws IOException {
        try (LogManager m = open(root, compacted().build())) {
            final PartitionLog log = m.createLog(TP, StorageTestSupport.small().cleanerBackoffMs(Long.MAX_VALUE)
                    .build());
            final List<Rec> written = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                final String key = i % 2 == 0 ? null : "k" + i;
                written.add(new Rec(log.append(record(key, "v" + i, i), i).firstOffset(), key, "v" + i, i));
            }
            assertThat(log.compact(100).cleaned()).as("policy delete: no compaction").isFalse();
            log.updateConfig(compacted().build());
            final long active = activeBase(log);

            assertThat(log.compact(100).cleaned()).isTrue();
            assertThat(records(log)).isEqualTo(expected(written, active, true))
                    .filteredOn(r -> r.offset() < active).allMatch(r -> r.key() != null);
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void compressedBatchesAreRecompactedWithTheirCodecAndStayReadable(CompressionType type) throws IOException {
        try (LogManager m = open(root, compacted().build())) {
            final PartitionLog log = m.createLog(TP, compacted().build());
            final List<Rec> written = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                final long ts = 1_000 + 10L * i;
                final String[] kv = {"k" + (i % 3), "a" + i, "k" + (i % 3 + 3), "b" + i, "k" + (i % 7), "c" + i};
                final AppendResult r = log.append(batch(type, ts, kv), ts);
                for (int j = 0; j < 3; j++) {
                    written.add(new Rec(r.firstOffset() + j, kv[2 * j], kv[2 * j + 1], ts + j));
                }
            }
            final long active = activeBase(log);

            assertThat(log.compact(100_000).cleaned()).isTrue();

            assertThat(records(log)).isEqualTo(expected(written, active, true));
            for (ByteBuffer b : batches(log)) {
                assertThat(new BatchHeader().wrap(b, 0).compressionId()).isEqualTo(type.id());
            }
        }
    }

    @Test
    void idempotentProducerBatchesKeepTheirProducerFieldsAndTheProducerCarriesOn() throws IOException {
        try (LogManager m = open(root, compacted().build())) {
            final PartitionLog log = m.createLog(TP, compacted().build());
            int sequence = 0;
            for (int i = 0; i < 30; i++) {
                log.append(producerBatch(42L, (short) 3, sequence, 100 + i, "same", "s" + i, "k" + i, "v" + i,
                        "last", "l" + i), 100 + i);
                sequence += 3;
            }
            final long active = activeBase(log);
            final Map<Long, BatchHeader> before = new HashMap<>();
            for (ByteBuffer b : batches(log)) {
                before.put(new BatchHeader().wrap(b, 0).baseOffset(), new BatchHeader().wrap(b, 0));
            }

            assertThat(log.compact(10_000).cleaned()).isTrue();

            int rebuilt = 0;
            for (ByteBuffer b : batches(log)) {
                final BatchHeader h = new BatchHeader().wrap(b, 0);
                final BatchHeader original = before.get(h.baseOffset());
                assertThat(original).as("batch at %d keeps its base offset", h.baseOffset()).isNotNull();
                assertThat(h.producerId()).isEqualTo(42L);
                assertThat(h.producerEpoch()).isEqualTo((short) 3);
                assertThat(h.baseSequence()).isEqualTo(original.baseSequence());
                assertThat(h.lastOffsetDelta()).isEqualTo(original.lastOffsetDelta());
                assertThat(h.lastSequence()).isEqualTo(original.lastSequence());
                if (h.baseOffset() < active && h.recordCount() < original.recordCount()) {
                    rebuilt++;
                }
            }
            assertThat(rebuilt).isPositive();
            // The producer state is untouched: a retry is still a duplicate, the next sequence is accepted.
            final AppendResult retry = log.append(producerBatch(42L, (short) 3, sequence - 3, 200, "same", "x",
                    "a", "b", "last", "y"), 200);
            assertThat(retry.status()).isEqualTo(AppendResult.Status.DUPLICATE);
            assertThat(log.append(producerBatch(42L, (short) 3, sequence, 200, "same", "next"), 200).status())
                    .isEqualTo(AppendResult.Status.APPENDED);
        }
    }

    @Test
    void readingARemovedOffsetReturnsTheNextRecordThatIsStillThere() throws IOException {
        try (LogManager m = open(root, compacted().build())) {
            final PartitionLog log = m.createLog(TP, compacted().build());
            final List<Rec> written = writeCycling(log, 120, 4, 0);
            log.compact(10_000);
            final List<Rec> left = records(log);
            assertThat(left).hasSizeLessThan(written.size());

            final RecordReader reader = new RecordReader();
            for (long offset = 0; offset < log.logEndOffset(); offset++) {
                final long o = offset;
                final Rec next = left.stream().filter(r -> r.offset() >= o).findFirst().orElseThrow();
                final ByteBuffer chunk = log.read(offset, 1).readInto();
                final BatchHeader first = new BatchIterator(chunk).next();
                assertThat(first.lastOffset()).isGreaterThanOrEqualTo(offset);
                reader.open(first);
                long found = -1;
                while (reader.next()) {
                    if (reader.offset() >= offset) {
                        found = reader.offset();
                        break;
                    }
                }
                assertThat(found).as("first record at or after %d", offset).isEqualTo(next.offset());
            }
        }
    }

    @Test
    void dirtyRatioBelowTheThresholdLeavesTheLogAlone() throws IOException {
        final LogConfig config = compacted().minCleanableDirtyRatio(0.5).build();
        try (LogManager m = open(root, config)) {
            final PartitionLog log = m.createLog(TP, config);
            // Unique keys: compaction removes nothing, so the clean part stays large.
            for (int i = 0; i < 100; i++) {
                log.append(record("unique-" + i, "v", i), i);
            }
            assertThat(log.compact(1_000).cleaned()).isTrue();
            final long cleanedUpTo = activeBase(log);
            final List<Rec> written = records(log);
            writeCycling(log, 20, 2, 200);
            final List<Rec> before = records(log);

            final CompactionResult skipped = log.compact(2_000);
            assertThat(skipped.cleaned()).isFalse();
            assertThat(skipped.dirtyRatio()).isGreaterThan(0.0).isLessThan(0.5);
            assertThat(skipped.firstDirtyOffset()).isEqualTo(cleanedUpTo);
            assertThat(records(log)).isEqualTo(before);

            log.updateConfig(config.toBuilder().minCleanableDirtyRatio(0.01).build());
            final CompactionResult done = log.compact(2_000);
            assertThat(done.cleaned()).isTrue();
            assertThat(done.dirtyRatio()).isEqualTo(skipped.dirtyRatio());
            assertThat(records(log)).hasSizeLessThan(before.size()).containsAll(written);
        }
    }

    @Test
    void maxCompactionLagForcesAPassBelowTheRatio() throws IOException {
        final LogConfig config = compacted().minCleanableDirtyRatio(0.9).maxCompactionLagMs(1_000).build();
        try (LogManager m = open(root, config)) {
            final PartitionLog log = m.createLog(TP, config);
            for (int i = 0; i < 100; i++) {
                log.append(record("unique-" + i, "v", 10_000 + i), 10_000 + i);
            }
            assertThat(log.compact(10_100).cleaned()).isTrue();
            writeCycling(log, 20, 2, 10_200);

            assertThat(log.compact(10_500).cleaned()).as("ratio below 0.9, dirty data under 1 s old").isFalse();
            assertThat(log.compact(11_500).cleaned()).as("dirty data older than max.compaction.lag.ms").isTrue();
        }
    }

    @Test
    void minCompactionLagKeepsYoungSegmentsDirty() throws IOException {
        final LogConfig config = compacted().minCompactionLagMs(1_000).build();
        try (LogManager m = open(root, config)) {
            final PartitionLog log = m.createLog(TP, config);
            final List<Rec> written = writeCycling(log, 100, 3, 0);

            assertThat(log.compact(500).cleaned()).as("every segment holds records under 1 s old").isFalse();
            assertThat(records(log)).isEqualTo(written);

            // At 1050 the segments whose records are all older than 50 are cleanable, later ones not.
            final CompactionResult partial = log.compact(1_050);
            assertThat(partial.cleaned()).isTrue();
            assertThat(partial.cleanedUpTo()).isPositive().isLessThan(activeBase(log));
            assertThat(records(log)).isEqualTo(expected(written, partial.cleanedUpTo(), true));
        }
    }

    @Test
    void theActiveSegmentIsNeverTouched() throws IOException {
        try (LogManager m = open(root, compacted().build())) {
            final PartitionLog log = m.createLog(TP, compacted().build());
            final List<Rec> written = writeCycling(log, 8, 2, 0);
            assertThat(log.segmentCount()).isEqualTo(1);

            assertThat(log.compact(10_000).cleaned()).isFalse();
            assertThat(records(log)).isEqualTo(written);

            written.addAll(writeCycling(log, 100, 2, 100));
            final long active = activeBase(log);
            final byte[] activeBytes = Files.readAllBytes(log.dir().resolve(String.format("%020d.log", active)));
            assertThat(log.compact(10_000).cleaned()).isTrue();
            assertThat(Files.readAllBytes(log.dir().resolve(String.format("%020d.log", active))))
                    .isEqualTo(activeBytes);
            assertThat(records(log)).isEqualTo(expected(written, active, true))
                    .filteredOn(r -> r.offset() >= active).hasSize((int) (log.logEndOffset() - active));
        }
    }

    @Test
    void theCleanerThreadCompactsOnItsOwn() {
        final LogConfig config = compacted().cleanerBackoffMs(10).build();
        try (LogManager m = open(root, config)) {
            final PartitionLog log = m.createLog(TP, config);
            final List<Rec> written = writeCycling(log, 100, 2, 0);
            final int before = log.segmentCount();
            StorageTestSupport.await(() -> log.segmentCount() < before, StorageTestSupport.TIMEOUT,
                    "the cleaner thread to merge the compacted segments");
            assertThat(records(log)).hasSizeLessThan(written.size()).endsWith(written.get(written.size() - 1));
        }
    }

    @Test
    void retentionAppliesOnlyWhenThePolicyContainsDelete() {
        final LogConfig compactOnly = compacted().retentionMs(10).build();
        try (LogManager m = open(root, compactOnly)) {
            final PartitionLog log = m.createLog(TP, compactOnly);
            writeCycling(log, 100, 3, 0);
            clock.set(1_000_000);
            assertThat(m.runRetention()).isZero();
            assertThat(log.logStartOffset()).isZero();

            log.updateConfig(compactOnly.toBuilder().cleanupPolicy("compact,delete").build());
            assertThat(m.runRetention()).isPositive();
            assertThat(log.logStartOffset()).isPositive();
        }
    }

    @Test
    void restartAfterCompactionReadsTheSameDataCleanOrNot() throws IOException {
        final Path dir = root.resolve("logs");
        final Path crashed = root.resolve("crashed");
        final List<Rec> after;
        final long end;
        try (LogManager m = open(dir, compacted().build())) {
            final PartitionLog log = m.createLog(TP, compacted().build());
            writeCycling(log, 150, 4, 0);
            log.compact(10_000);
            writeCycling(log, 60, 6, 20_000);
            log.compact(30_000);
            after = records(log);
            end = log.logEndOffset();
            StorageTestSupport.crashCopy(dir, crashed);
        }
        assertThat(crashed.resolve("cleaner-offset-checkpoint")).exists();
        try (LogManager m = open(dir, compacted().build())) {
            final PartitionLog log = m.log(TP);
            assertThat(log.segmentsRecoveredAtLoad()).isZero();
            assertThat(records(log)).isEqualTo(after);
            assertThat(log.logEndOffset()).isEqualTo(end);
        }
        // Unclean, and with no recovery point: every segment is scanned, the cleaned ones with their gaps.
        Files.delete(crashed.resolve("recovery-point-offset-checkpoint"));
        try (LogManager m = open(crashed, compacted().build())) {
            final PartitionLog log = m.log(TP);
            assertThat(log.segmentsRecoveredAtLoad()).isEqualTo(log.segmentCount());
            assertThat(records(log)).isEqualTo(after);
            assertThat(log.logEndOffset()).isEqualTo(end);
            assertThat(log.append(record("k", "v", 1), 1).firstOffset()).isEqualTo(end);
            // Work is not redone: nothing new is dirty.
            assertThat(log.compact(40_000).cleaned()).isFalse();
        }
    }

    @Test
    void aCrashBeforeTheSwapCommitsKeepsTheOldSegments() throws IOException {
        final Path dir = root.resolve("logs");
        final Path before = root.resolve("before");
        final List<Rec> original;
        final long cleanedBase;
        try (LogManager m = open(dir, compacted().build())) {
            final PartitionLog log = m.createLog(TP, compacted().build());
            writeCycling(log, 120, 4, 0);
            original = records(log);
            StorageTestSupport.crashCopy(dir, before);
            log.compact(10_000);
            cleanedBase = log.logStartOffset();
        }
        // The pass had written its .cleaned files (and the checkpoint) when the process died.
        final Path partition = before.resolve(TP.toString());
        Files.copy(dir.resolve(TP.toString()).resolve(String.format("%020d.log", cleanedBase)),
                partition.resolve(String.format("%020d.log.cleaned", cleanedBase)));
        Files.writeString(partition.resolve(String.format("%020d.index.cleaned", cleanedBase)), "");
        Files.copy(dir.resolve("cleaner-offset-checkpoint"), before.resolve("cleaner-offset-checkpoint"));

        try (LogManager m = open(before, compacted().build())) {
            final PartitionLog log = m.log(TP);
            assertThat(records(log)).isEqualTo(original);
            try (Stream<Path> files = Files.list(partition)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".cleaned"));
            }
        }
    }

    @Test
    void aCrashAfterTheSwapCommittedCompletesTheSwapAtLoad() throws IOException {
        final Path dir = root.resolve("logs");
        final Path before = root.resolve("before");
        final List<Rec> compactedRecords;
        final long end;
        try (LogManager m = open(dir, compacted().build())) {
            final PartitionLog log = m.createLog(TP, compacted().build());
            writeCycling(log, 120, 4, 0);
            end = log.logEndOffset();
            StorageTestSupport.crashCopy(dir, before);
            log.compact(10_000);
            compactedRecords = records(log);
            assertThat(log.segmentCount()).isEqualTo(2);
            assertThat(log.logStartOffset()).isZero();
        }
        // The .log.swap was renamed into place (the commit), its index half renamed, no old segment removed yet.
        final Path partition = before.resolve(TP.toString());
        Files.copy(dir.resolve(TP.toString()).resolve(String.format("%020d.log", 0)),
                partition.resolve(String.format("%020d.log.swap", 0)));
        Files.copy(dir.resolve(TP.toString()).resolve(String.format("%020d.index", 0)),
                partition.resolve(String.format("%020d.index.swap", 0)));
        Files.copy(dir.resolve("cleaner-offset-checkpoint"), before.resolve("cleaner-offset-checkpoint"));

        try (LogManager m = open(before, compacted().build())) {
            final PartitionLog log = m.log(TP);
            assertThat(records(log)).isEqualTo(compactedRecords);
            assertThat(log.segmentCount()).isEqualTo(2);
            assertThat(log.logEndOffset()).isEqualTo(end);
            try (Stream<Path> files = Files.list(partition)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".swap"));
            }
        }
        // And the completed log survives another restart.
        try (LogManager m = open(before, compacted().build())) {
            assertThat(records(m.log(TP))).isEqualTo(compactedRecords);
        }
    }

    @Test
    void readsHoldingAReplacedSegmentKeepWorkingUntilTheDeleteDelay() throws IOException {
        final LogConfig config = compacted().fileDeleteDelayMs(60_000).build();
        try (LogManager m = open(root, config)) {
            final PartitionLog log = m.createLog(TP, config);
            writeCycling(log, 60, 2, 0);
            final FileRecords held = log.read(0, 10_000);
            final ByteBuffer expected = held.readInto();

            assertThat(log.compact(1_000).cleaned()).isTrue();
            assertThat(held.readInto()).isEqualTo(expected);
            try (Stream<Path> files = Files.list(log.dir())) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".deleted"));
            }
            clock.set(1_000 + 60_000);
            m.runRetention();
            try (Stream<Path> files = Files.list(log.dir())) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".deleted"));
            }
        }
    }
}

package dev.skiff.storage;

import static dev.skiff.storage.StorageTestSupport.header;
import static dev.skiff.storage.StorageTestSupport.readAll;
import static dev.skiff.storage.StorageTestSupport.splitBatches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.record.BatchHeader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PartitionLogReadWriteTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path dir;
    private LogManager manager;

    @BeforeEach
    void open() {
        manager = LogManager.open(dir, LogConfig.defaults(), new StorageTestSupport.MutableClock(0));
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void appendAssignsOffsetsInPlaceAndReadReturnsTheSameBytes() {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        final ByteBuffer b1 = TestBatches.records(1);
        final ByteBuffer b2 = TestBatches.records(5);
        final ByteBuffer b3 = TestBatches.records(2);

        final AppendResult r1 = log.append(b1, 0);
        final AppendResult r2 = log.append(b2, 0);
        final AppendResult r3 = log.append(b3, 0);

        assertThat(r1).isEqualTo(new AppendResult(AppendResult.Status.APPENDED, 0, 0, -1, 0, null));
        assertThat(r2.firstOffset()).isEqualTo(1);
        assertThat(r2.lastOffset()).isEqualTo(5);
        assertThat(r3.firstOffset()).isEqualTo(6);
        assertThat(r3.lastOffset()).isEqualTo(7);
        assertThat(header(b2).baseOffset()).as("offset written into the caller's buffer").isEqualTo(1);
        assertThat(b2.position()).as("buffer position untouched").isZero();
        assertThat(header(b2).isCrcValid()).as("CRC does not cover the base offset").isTrue();
        assertThat(log.logEndOffset()).isEqualTo(8);
        assertThat(log.highWatermark()).isEqualTo(8);
        assertThat(readAll(log)).containsExactly(b1, b2, b3);
        assertThat(log.sizeInBytes()).isEqualTo(b1.remaining() + b2.remaining() + b3.remaining());
    }

    @Test
    void severalBatchesInOneAppendGetConsecutiveOffsets() {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        final ByteBuffer all = TestBatches.concat(TestBatches.records(3), TestBatches.records(4));

        final AppendResult r = log.append(all, 0);

        assertThat(r.firstOffset()).isZero();
        assertThat(r.lastOffset()).isEqualTo(6);
        final List<ByteBuffer> batches = readAll(log);
        assertThat(batches).hasSize(2);
        assertThat(header(batches.get(1)).baseOffset()).isEqualTo(3);
    }

    @Test
    void readFromTheMiddleOfABatchReturnsThatBatch() {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        log.append(TestBatches.records(10), 0);
        final ByteBuffer second = TestBatches.records(10);
        log.append(second, 0);
        log.append(TestBatches.records(10), 0);

        final ByteBuffer got = log.read(15, 1).readInto();

        assertThat(got).isEqualTo(second);
        assertThat(header(got).baseOffset()).isEqualTo(10);
    }

    @Test
    void readReturnsOneWholeBatchEvenWhenLargerThanMaxBytes() {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        final ByteBuffer big = TestBatches.batch().valueSize(5000).build();
        log.append(big, 0);
        log.append(TestBatches.records(1), 0);

        final FileRecords records = log.read(0, 100);

        assertThat(records.sizeInBytes()).isEqualTo(big.remaining());
        assertThat(records.readInto()).isEqualTo(big);
    }

    @Test
    void readStopsAtTheLastWholeBatchThatFitsMaxBytes() {
        final PartitionLog log = manager.createLog(TP, LogConfig.builder().indexIntervalBytes(0).build());
        final int size = TestBatches.records(1).remaining();
        for (int i = 0; i < 100; i++) {
            log.append(TestBatches.records(1), 0);
        }

        for (int maxBytes : new int[] {size, size + 1, 2 * size + size / 2, 10 * size, 37 * size - 1}) {
            final FileRecords records = log.read(3, maxBytes);
            assertThat(records.sizeInBytes()).as("maxBytes %d", maxBytes).isEqualTo(maxBytes / size * size);
            assertThat(header(records.readInto()).baseOffset()).isEqualTo(3);
        }
        assertThat(log.read(0, Integer.MAX_VALUE).sizeInBytes()).isEqualTo(100 * size);
    }

    @Test
    void everyOffsetIsFoundWithADenseOrSparseIndex() {
        for (int interval : new int[] {0, 100, 4096}) {
            final TopicPartition tp = new TopicPartition("t" + interval, 0);
            final PartitionLog log = manager.createLog(tp, LogConfig.builder().indexIntervalBytes(interval).build());
            final List<long[]> ranges = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                final AppendResult r = log.append(TestBatches.records(1 + i % 7), 0);
                ranges.add(new long[] {r.firstOffset(), r.lastOffset()});
            }
            for (long[] range : ranges) {
                for (long offset = range[0]; offset <= range[1]; offset++) {
                    final BatchHeader h = header(log.read(offset, 1).readInto());
                    assertThat(h.baseOffset()).as("interval %d offset %d", interval, offset).isEqualTo(range[0]);
                }
            }
        }
    }

    @Test
    void readAtTheLogEndIsEmptyAndOutsideTheLogThrows() {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        assertThat(log.read(0, 100).sizeInBytes()).isZero();
        log.append(TestBatches.records(2), 0);

        assertThat(log.read(2, 100).sizeInBytes()).isZero();
        assertThatThrownBy(() -> log.read(3, 100)).isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("3");
        assertThatThrownBy(() -> log.read(-1, 100)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void malformedInputIsRejectedBeforeAnythingIsWritten() {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        final ByteBuffer batch = TestBatches.records(1);
        final ByteBuffer truncated = batch.duplicate().limit(batch.limit() - 1);
        final ByteBuffer wrongMagic = TestBatches.copy(batch);
        wrongMagic.put(BatchHeader.MAGIC_OFFSET, (byte) 1);

        assertThatThrownBy(() -> log.append(truncated, 0)).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> log.append(wrongMagic, 0)).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> log.append(ByteBuffer.allocate(0), 0)).isInstanceOf(DecodeException.class);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void fileRecordsTransferToAChannel() throws Exception {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        final ByteBuffer batch = TestBatches.records(3);
        log.append(batch, 0);
        final FileRecords records = log.read(0, 1000);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (WritableByteChannel channel = Channels.newChannel(out)) {
            long sent = 0;
            while (sent < records.sizeInBytes()) {
                sent += records.transferTo(channel, sent, 7);
            }
        }

        assertThat(ByteBuffer.wrap(out.toByteArray())).isEqualTo(batch);
        assertThat(records.position()).isZero();
        assertThat(records.channel().isOpen()).isTrue();
    }

    @Test
    void readsRunningAlongsideAppendsSeeOnlyWholeValidBatches() throws Exception {
        final PartitionLog log = manager.createLog(TP, LogConfig.builder().segmentBytes(64 * 1024)
                .indexIntervalBytes(256).build());
        final AtomicBoolean done = new AtomicBoolean();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            final Thread reader = new Thread(() -> {
                final ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                    while (!done.get()) {
                        final long end = log.logEndOffset();
                        if (end == 0) {
                            continue;
                        }
                        final long offset = random.nextLong(end);
                        final ByteBuffer data = log.read(offset, random.nextInt(1, 4000)).readInto();
                        long expected = -1;
                        for (ByteBuffer b : splitBatches(data)) {
                            final BatchHeader h = header(b);
                            assertThat(h.isCrcValid()).isTrue();
                            assertThat(expected < 0 || h.baseOffset() == expected).isTrue();
                            expected = h.lastOffset() + 1;
                        }
                        assertThat(expected).isGreaterThan(offset);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "reader-" + t);
            reader.start();
            readers.add(reader);
        }
        for (int i = 0; i < 3000; i++) {
            log.append(TestBatches.batch().count(1 + i % 4, i).valueSize(i % 50).build(), i);
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }

        assertThat(failures).isEmpty();
        assertThat(log.segmentCount()).isGreaterThan(1);
        assertThat(readAll(log)).hasSize(3000);
    }

    @Test
    void createLogRejectsDuplicatesAndIllegalNames() {
        manager.createLog(TP, LogConfig.defaults());

        assertThatThrownBy(() -> manager.createLog(TP, LogConfig.defaults()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> manager.createLog(new TopicPartition("../evil", 0), LogConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(manager.log(TP)).isNotNull();
        assertThat(manager.log(new TopicPartition("other", 0))).isNull();
        assertThat(manager.logs()).containsOnlyKeys(TP);
        assertThat(TP.toString()).isEqualTo("orders-0");
    }

    @Test
    void deleteLogRemovesItsDirectory() {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        log.append(TestBatches.records(1), 0);

        manager.deleteLog(TP);

        assertThat(log.dir()).doesNotExist();
        assertThat(manager.log(TP)).isNull();
        assertThatThrownBy(() -> log.append(TestBatches.records(1), 0)).isInstanceOf(LogStorageException.class);
        final PartitionLog again = manager.createLog(TP, LogConfig.defaults());
        assertThat(again.logEndOffset()).isZero();
    }
}

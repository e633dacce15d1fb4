package dev.skiff.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FlushTest {
    private static final TopicPartition TP = new TopicPartition("durable", 0);

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
    void flushUpToGroupsWaitingRequestsIntoOneFsync() throws Exception {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        final long before = manager.fsyncCount();
        final List<CompletableFuture<Void>> futures = new ArrayList<>();

        manager.pauseFlusher();
        try {
            for (int i = 0; i < 50; i++) {
                final AppendResult r = log.append(TestBatches.records(1), 0);
                futures.add(log.flushUpTo(r.lastOffset() + 1));
            }
            assertThat(futures).noneMatch(CompletableFuture::isDone);
        } finally {
            manager.resumeFlusher();
        }
        for (CompletableFuture<Void> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }

        assertThat(manager.fsyncCount() - before).isEqualTo(1);
        assertThat(log.recoveryPoint()).isEqualTo(50);
        assertThat(log.flushUpTo(50)).as("already durable").isDone();
    }

    @Test
    void concurrentProducersShareFsyncs() throws Exception {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        final int threads = 8;
        final int perThread = 100;
        final Object writer = new Object();
        final CountDownLatch start = new CountDownLatch(1);
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> producers = new ArrayList<>();
        final long before = manager.fsyncCount();
        for (int t = 0; t < threads; t++) {
            final Thread producer = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        final AppendResult r;
                        synchronized (writer) {
                            r = log.append(TestBatches.records(1), 0);
                        }
                        log.flushUpTo(r.lastOffset() + 1).get(10, TimeUnit.SECONDS);
                        assertThat(log.recoveryPoint()).isGreaterThan(r.lastOffset());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "producer-" + t);
            producer.start();
            producers.add(producer);
        }
        start.countDown();
        for (Thread producer : producers) {
            producer.join();
        }

        assertThat(failures).isEmpty();
        final long fsyncs = manager.fsyncCount() - before;
        assertThat(fsyncs).as("one fsync may cover many waiters").isPositive().isLessThanOrEqualTo(threads * perThread);
        assertThat(log.recoveryPoint()).isEqualTo(threads * perThread);
    }

    @Test
    void flushBeyondTheLogEndIsRejected() {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        log.append(TestBatches.records(1), 0);

        assertThatThrownBy(() -> log.flushUpTo(2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(log.flushUpTo(0)).isDone();
    }

    @Test
    void aRollFlushesTheFinishedSegmentWithoutAnyWaiter() {
        final int size = TestBatches.records(1).remaining();
        final PartitionLog log = manager.createLog(TP, LogConfig.builder().segmentBytes(size).build());

        log.append(TestBatches.records(1), 0);
        log.append(TestBatches.records(1), 0);

        StorageTestSupport.await(() -> log.recoveryPoint() >= 1, Duration.ofSeconds(10), "the roll's flush");
    }

    @Test
    void recoveryPointsAreCheckpointedInKafkasFormat() throws Exception {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        log.append(TestBatches.records(7), 0);
        log.flushUpTo(7).get(10, TimeUnit.SECONDS);

        manager.checkpointRecoveryPoints();

        assertThat(Files.readAllLines(dir.resolve("recovery-point-offset-checkpoint"), StandardCharsets.UTF_8))
                .containsExactly("0", "1", "durable 0 7");
    }

    @Test
    void pendingFlushesFailWhenTheLogIsDeleted() throws Exception {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        log.append(TestBatches.records(1), 0);
        manager.pauseFlusher();
        final CompletableFuture<Void> pending;
        try {
            pending = log.flushUpTo(1);
            manager.deleteLog(TP);
        } finally {
            manager.resumeFlusher();
        }

        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(LogStorageException.class);
    }

    @Test
    void closeCompletesQueuedFlushes() throws Exception {
        final PartitionLog log = manager.createLog(TP, LogConfig.defaults());
        log.append(TestBatches.records(1), 0);
        manager.pauseFlusher();
        final CompletableFuture<Void> pending = log.flushUpTo(1);
        manager.resumeFlusher();

        manager.close();

        pending.get(10, TimeUnit.SECONDS);
        assertThat(dir.resolve(".skiff_cleanshutdown")).exists();
    }
}

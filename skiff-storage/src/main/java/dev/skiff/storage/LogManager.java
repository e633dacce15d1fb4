package dev.skiff.storage;

import dev.skiff.storage.internal.CleanerCheckpoint;
import dev.skiff.storage.internal.Flusher;
import dev.skiff.storage.internal.LoadedLog;
import dev.skiff.storage.internal.LogCleaner;
import dev.skiff.storage.internal.LogFileNames;
import dev.skiff.storage.internal.LogLoader;
import dev.skiff.storage.internal.LogSegment;
import dev.skiff.storage.internal.ProducerStateTable;
import dev.skiff.storage.internal.RecoveryPointCheckpoint;
import dev.skiff.storage.internal.SegmentDeleter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a log directory: loads and recovers every partition log in it, creates and deletes logs, runs retention,
 * runs the flusher thread that makes appends durable and the cleaner thread that compacts logs whose
 * cleanup.policy contains {@code compact}.
 *
 * <h2>On-disk layout (Kafka's)</h2>
 * <pre>
 * &lt;logDir&gt;/
 *   .lock, .skiff_cleanshutdown, recovery-point-offset-checkpoint, cleaner-offset-checkpoint
 *   &lt;topic&gt;-&lt;partition&gt;/
 *     &lt;20-digit base offset&gt;.log | .index | .timeindex     one segment
 *     &lt;20-digit offset&gt;.snapshot                          producer state
 *     *.cleaned, *.swap                                     a compaction in progress (see SwapRecovery)
 * </pre>
 * <table>
 * <caption>files, their layout, integrity and what happens after a crash</caption>
 * <tr><th>file</th><th>layout</th><th>checksummed</th><th>after an unclean shutdown</th></tr>
 * <tr><td>.log</td><td>{@code LogSegment}: batches as on the wire</td><td>yes, each batch's CRC-32C (all but
 *     baseOffset, batchLength, partitionLeaderEpoch; offsets are checked for contiguity instead)</td>
 *     <td>scanned from the recovery point, truncated at the first invalid batch</td></tr>
 * <tr><td>.index</td><td>{@code OffsetIndex}: 8-byte entries</td><td>no</td><td>rebuilt from the log</td></tr>
 * <tr><td>.timeindex</td><td>{@code TimeIndex}: 12-byte entries</td><td>no</td><td>rebuilt from the log</td></tr>
 * <tr><td>.snapshot</td><td>{@code ProducerSnapshotFile}</td><td>yes, CRC-32C</td><td>newest valid one at or
 *     below the log end is loaded, the batch headers after it replayed</td></tr>
 * <tr><td>recovery-point-offset-checkpoint</td><td>{@code RecoveryPointCheckpoint}: Kafka's text format</td>
 *     <td>no (atomic replace)</td><td>read; says where scanning starts</td></tr>
 * <tr><td>cleaner-offset-checkpoint</td><td>{@code CleanerCheckpoint}: the same format</td><td>no (atomic
 *     replace)</td><td>read; where the next compaction starts, and below which offset gaps are legal</td></tr>
 * <tr><td>*.cleaned / *.swap</td><td>a cleaned segment being written / committed</td><td>as .log</td>
 *     <td>.cleaned deleted; a .swap replaces the segments it covers</td></tr>
 * <tr><td>.skiff_cleanshutdown</td><td>empty</td><td>-</td><td>absent, which is what triggers recovery</td></tr>
 * </table>
 * With the clean-shutdown marker present, no log is scanned: indexes are trusted after a sanity check (and
 * rebuilt only if that fails), producer state comes from the snapshot written at close. The marker is deleted,
 * durably, before the first append of the new run.
 *
 * <h2>Durability guarantees</h2>
 * <ul>
 *   <li>{@link PartitionLog#append} returns once the bytes are written to the OS page cache: they survive a
 *       process crash, not a power loss or kernel crash. That is acks=1.</li>
 *   <li>{@link PartitionLog#flushUpTo} completes once the bytes are fsync'd: they survive power loss. That is
 *       acks=all (a single node has no replicas to wait for). fsync happens only on the flusher thread
 *       ({@code skiff-log-flusher}), which covers every waiting request with one fsync per log (group
 *       commit); the caller's thread never blocks on the disk.</li>
 *   <li>Each roll also queues a flush of the finished segment, so the recovery point advances without any
 *       acks=all producer. The recovery points are checkpointed every few seconds by the flusher and at close.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. Appends to one log must come from one thread at a time (see
 * {@link PartitionLog}); reads may come from any. {@link #runRetention()} and {@link #expireProducers()} are
 * meant for a scheduler thread. Compaction runs on {@code skiff-log-cleaner}, first log.cleaner.backoff.ms after
 * open and then again whenever a pass cleaned something, else after another backoff (the value of the
 * {@code defaults} given to {@link #open}); {@link #runCleaner()} runs a pass synchronously.
 */
public final class LogManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    /** Kafka's legal topic characters; also keeps names safe as directory names. */
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int MAX_TOPIC_LENGTH = 249;
    private static final long CHECKPOINT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Path logDir;
    private final LogConfig defaults;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ConcurrentHashMap<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final SegmentDeleter deleter = new SegmentDeleter();
    private final Flusher flusher;
    private final CleanerCheckpoint cleanerCheckpoint;
    private final LogCleaner cleaner;
    private final Object checkpointLock = new Object();
    private final Object adminLock = new Object();
    private long lastCheckpointNanos = System.nanoTime();
    private volatile boolean closed;

    private LogManager(Path logDir, LogConfig defaults, Clock clock, FileChannel lockChannel, FileLock lock) {
        this.logDir = logDir;
        this.defaults = defaults;
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.flusher = new Flusher("skiff-log-flusher", this::maybeCheckpoint);
        this.cleanerCheckpoint = CleanerCheckpoint.load(logDir);
        this.cleaner = new LogCleaner("skiff-log-cleaner", defaults.cleanerBackoffMs(), this::runCleaner);
    }

    /**
     * Opens {@code logDir} (creating it if needed): takes its lock file, loads every {@code <topic>-<partition>}
     * directory with {@code defaults} as its configuration (apply per-topic settings afterwards with
     * {@link PartitionLog#updateConfig}), recovers logs if the last shutdown was not clean, and starts the
     * flusher thread.
     *
     * @throws IllegalStateException if another LogManager (in any process) has the directory open
     * @throws LogStorageException   if the directory cannot be read or a log cannot be recovered
     */
    public static LogManager open(Path logDir, LogConfig defaults, Clock clock) {
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(clock, "clock");
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(logDir);
            lockChannel = FileChannel.open(logDir.resolve(LogFileNames.LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("Log directory " + logDir + " is in use by another LogManager");
            }
            final LogManager manager = new LogManager(logDir, defaults, clock, lockChannel, lock);
            try {
                manager.loadLogs();
            } catch (IOException | RuntimeException e) {
                manager.closeLogsAfterFailedOpen();
                throw e;
            }
            manager.flusher.start();
            if (defaults.cleanerBackoffMs() < Long.MAX_VALUE) {
                manager.cleaner.start();
            }
            return manager;
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new LogStorageException("Cannot open log directory " + logDir, e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    private void loadLogs() throws IOException {
        final Path marker = logDir.resolve(LogFileNames.CLEAN_SHUTDOWN_FILE);
        final boolean clean = Files.exists(marker);
        final Map<TopicPartition, Long> recoveryPoints = RecoveryPointCheckpoint.read(logDir);
        final long startNanos = System.nanoTime();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(logDir, Files::isDirectory)) {
            for (Path dir : dirs) {
                final TopicPartition tp = LogFileNames.parseLogDirName(dir.getFileName().toString());
                if (tp == null) {
                    continue;
                }
                final LoadedLog loaded = LogLoader.load(dir, defaults.indexIntervalBytes(),
                        defaults.segmentIndexBytes(), clean, recoveryPoints.getOrDefault(tp, 0L),
                        cleanerCheckpoint.get(tp));
                if (loaded.bytesTruncated() > 0) {
                    LOG.warn("Recovered {}: truncated {} bytes of torn or corrupt data; log end offset {}", tp,
                            loaded.bytesTruncated(), loaded.logEndOffset());
                }
                logs.put(tp, new PartitionLog(tp, dir, defaults, loaded, flusher, deleter, cleanerCheckpoint));
            }
        }
        if (logs.isEmpty() && !clean) {
            LOG.info("No logs in {} yet", logDir);
        } else {
            LOG.info("Loaded {} log(s) from {} in {} ms after {} shutdown", logs.size(), logDir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), clean ? "a clean" : "an unclean");
        }
        // Recovery left every log fsync'd up to its end; record that, then make the next crash look unclean.
        checkpointRecoveryPoints();
        if (clean) {
            Files.delete(marker);
            LogFileNames.fsyncDirectory(logDir);
        }
    }

    private void closeLogsAfterFailedOpen() {
        for (PartitionLog log : logs.values()) {
            log.closeForDeletion();
        }
        logs.clear();
        try {
            lock.release();
        } catch (IOException e) {
            LOG.debug("Releasing the lock of {} failed", logDir, e);
        }
    }

    /**
     * Creates an empty log for {@code tp} in {@code <logDir>/<topic>-<partition>}.
     *
     * @throws IllegalStateException    if the log exists
     * @throws IllegalArgumentException if the topic name is not a legal Kafka topic name
     * @throws LogStorageException      if the directory or first segment cannot be created
     */
    public PartitionLog createLog(TopicPartition tp, LogConfig config) {
        Objects.requireNonNull(config, "config");
        validateTopic(tp.topic());
        synchronized (adminLock) {
            ensureOpen();
            if (logs.containsKey(tp)) {
                throw new IllegalStateException("Log " + tp + " already exists");
            }
            final Path dir = logDir.resolve(tp.toString());
            try {
                if (Files.exists(dir)) {
                    LOG.warn("Removing leftover directory {} before creating log {}", dir, tp);
                    deleteRecursively(dir);
                }
                Files.createDirectories(dir);
                // A leftover entry of an earlier log of this name would allow offset gaps in the new one.
                cleanerCheckpoint.remove(tp);
                final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
                segments.put(0L, LogSegment.create(dir, 0L, config.segmentIndexBytes()));
                LogFileNames.fsyncDirectory(dir);
                LogFileNames.fsyncDirectory(logDir);
                final PartitionLog log = new PartitionLog(tp, dir, config,
                        new LoadedLog(segments, 0L, new ProducerStateTable(), 0, 0L), flusher, deleter,
                        cleanerCheckpoint);
                logs.put(tp, log);
                return log;
            } catch (IOException e) {
                throw new LogStorageException("Cannot create log " + tp + " in " + dir, e);
            }
        }
    }

    private static void validateTopic(String topic) {
        if (topic.length() > MAX_TOPIC_LENGTH || !LEGAL_TOPIC.matcher(topic).matches() || topic.equals(".")
                || topic.equals("..")) {
            throw new IllegalArgumentException("Illegal topic name '" + topic + "': use at most " + MAX_TOPIC_LENGTH
                    + " of [a-zA-Z0-9._-], not '.' or '..'");
        }
    }

    /** The log of {@code tp}, or null if this directory has none. */
    public PartitionLog log(TopicPartition tp) {
        return logs.get(tp);
    }

    /** A snapshot of all logs. */
    public Map<TopicPartition, PartitionLog> logs() {
        return Map.copyOf(logs);
    }

    /** The directory this manager owns. */
    public Path logDir() {
        return logDir;
    }

    /** The configuration loaded logs start with. */
    public LogConfig defaults() {
        return defaults;
    }

    /**
     * Closes the log of {@code tp} and deletes its directory; a no-op if there is none. Reads in flight on the log
     * fail; pending {@link PartitionLog#flushUpTo} futures complete exceptionally.
     *
     * @throws LogStorageException if the directory could not be removed completely
     */
    public void deleteLog(TopicPartition tp) {
        synchronized (adminLock) {
            final PartitionLog log = logs.remove(tp);
            if (log == null) {
                return;
            }
            log.closeForDeletion();
            try {
                deleteRecursively(log.dir());
                LogFileNames.fsyncDirectory(logDir);
                checkpointRecoveryPoints();
                cleanerCheckpoint.remove(tp);
            } catch (IOException e) {
                throw new LogStorageException("Cannot delete log directory " + log.dir(), e);
            }
        }
    }

    /**
     * Applies retention.ms and retention.bytes to every log (see {@link PartitionLog}) and closes segments whose
     * file.delete.delay.ms has passed.
     *
     * @return segments removed from logs by this run
     */
    public int runRetention() {
        final long now = clock.millis();
        int deleted = 0;
        for (PartitionLog log : logs.values()) {
            deleted += log.deleteRetentionBreachedSegments(now);
        }
        deleter.deleteDue(now);
        return deleted;
    }

    /**
     * Runs one compaction pass over every log whose cleanup.policy contains {@code compact} (see
     * {@link PartitionLog#compact}) at the clock's time, then closes replaced segments whose file.delete.delay.ms
     * has passed. A log whose pass fails is logged and retried on the next run. The cleaner thread calls this.
     *
     * @return logs that were compacted
     */
    public int runCleaner() {
        final long now = clock.millis();
        int cleaned = 0;
        for (PartitionLog log : logs.values()) {
            if (!log.config().compact() || closed) {
                continue;
            }
            try {
                if (log.compact(now).cleaned()) {
                    cleaned++;
                }
            } catch (RuntimeException e) {
                LOG.warn("Compaction of {} failed; it is retried on the next pass", log.topicPartition(), e);
            }
        }
        deleter.deleteDue(now);
        return cleaned;
    }

    /**
     * Forgets idempotent producers that have not written for producer.id.expiration.ms, as Kafka's periodic
     * producer-expiration task does; their next batch is then accepted at any sequence.
     *
     * @return producers forgotten
     */
    public int expireProducers() {
        final long now = clock.millis();
        int expired = 0;
        for (PartitionLog log : logs.values()) {
            expired += log.expireProducers(now);
        }
        return expired;
    }

    /** Writes recovery points every few seconds; runs on the flusher thread after each cycle. */
    private void maybeCheckpoint() {
        synchronized (checkpointLock) {
            if (System.nanoTime() - lastCheckpointNanos < CHECKPOINT_INTERVAL_NANOS) {
                return;
            }
        }
        try {
            checkpointRecoveryPoints();
        } catch (IOException e) {
            LOG.warn("Writing the recovery-point checkpoint of {} failed; recovery after a crash will scan more",
                    logDir, e);
        }
    }

    /** Writes the recovery point of every log to {@code recovery-point-offset-checkpoint} now. */
    void checkpointRecoveryPoints() throws IOException {
        synchronized (checkpointLock) {
            final Map<TopicPartition, Long> points = new HashMap<>();
            for (PartitionLog log : logs.values()) {
                points.put(log.topicPartition(), log.recoveryPoint());
            }
            RecoveryPointCheckpoint.write(logDir, points);
            lastCheckpointNanos = System.nanoTime();
        }
    }

    /** Data-file fsyncs done by the flusher so far. */
    long fsyncCount() {
        return flusher.fsyncCount();
    }

    /** Stops the flusher between cycles so that requests pile up (tests of group commit). */
    void pauseFlusher() {
        flusher.pause();
    }

    void resumeFlusher() {
        flusher.resume();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("LogManager for " + logDir + " is closed");
        }
    }

    /**
     * Clean shutdown: completes queued flushes, stops the flusher, fsyncs and closes every log (writing producer
     * snapshots), writes the recovery points and finally the clean-shutdown marker, so the next open skips
     * recovery. If any step fails the marker is not written and the next open recovers. Idempotent.
     */
    @Override
    public void close() {
        synchronized (adminLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        cleaner.close();
        flusher.close();
        boolean clean = true;
        for (PartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (IOException | RuntimeException e) {
                clean = false;
                LOG.error("Closing log {} failed; the next start will recover it", log.topicPartition(), e);
            }
        }
        deleter.deleteAll();
        try {
            if (clean) {
                checkpointRecoveryPoints();
                final Path marker = logDir.resolve(LogFileNames.CLEAN_SHUTDOWN_FILE);
                try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                LogFileNames.fsyncDirectory(logDir);
            }
        } catch (IOException e) {
            LOG.error("Could not record a clean shutdown of {}; the next start will recover", logDir, e);
        } finally {
            try {
                lock.release();
            } catch (IOException e) {
                LOG.debug("Releasing the lock of {} failed", logDir, e);
            }
            closeQuietly(lockChannel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing {} failed", channel, e);
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

package dev.skiff.storage;

import java.util.Objects;
import java.util.Set;

/**
 * Immutable settings of one partition log, with Kafka's names and defaults.
 *
 * <table>
 * <caption>fields, their Kafka topic-level and broker-level names, and defaults</caption>
 * <tr><th>field</th><th>topic config</th><th>broker config</th><th>default</th></tr>
 * <tr><td>{@link #segmentBytes()}</td><td>segment.bytes</td><td>log.segment.bytes</td><td>1 GiB</td></tr>
 * <tr><td>{@link #segmentMs()}</td><td>segment.ms</td><td>log.roll.ms</td><td>7 days</td></tr>
 * <tr><td>{@link #retentionMs()}</td><td>retention.ms</td><td>log.retention.ms</td><td>7 days; -1 keeps
 *     forever</td></tr>
 * <tr><td>{@link #retentionBytes()}</td><td>retention.bytes</td><td>log.retention.bytes</td><td>-1 (no
 *     limit)</td></tr>
 * <tr><td>{@link #indexIntervalBytes()}</td><td>index.interval.bytes</td><td>log.index.interval.bytes</td>
 *     <td>4096</td></tr>
 * <tr><td>{@link #segmentIndexBytes()}</td><td>segment.index.bytes</td><td>log.index.size.max.bytes</td>
 *     <td>10 MiB</td></tr>
 * <tr><td>{@link #fileDeleteDelayMs()}</td><td>file.delete.delay.ms</td><td>log.segment.delete.delay.ms</td>
 *     <td>60 s</td></tr>
 * <tr><td>{@link #producerIdExpirationMs()}</td><td>-</td><td>producer.id.expiration.ms</td><td>1 day</td></tr>
 * <tr><td>{@link #cleanupPolicy()}</td><td>cleanup.policy</td><td>log.cleanup.policy</td><td>delete</td></tr>
 * <tr><td>{@link #deleteRetentionMs()}</td><td>delete.retention.ms</td><td>log.cleaner.delete.retention.ms</td>
 *     <td>1 day</td></tr>
 * <tr><td>{@link #minCleanableDirtyRatio()}</td><td>min.cleanable.dirty.ratio</td>
 *     <td>log.cleaner.min.cleanable.ratio</td><td>0.5</td></tr>
 * <tr><td>{@link #minCompactionLagMs()}</td><td>min.compaction.lag.ms</td><td>log.cleaner.min.compaction.lag.ms</td>
 *     <td>0</td></tr>
 * <tr><td>{@link #maxCompactionLagMs()}</td><td>max.compaction.lag.ms</td><td>log.cleaner.max.compaction.lag.ms</td>
 *     <td>{@link Long#MAX_VALUE}</td></tr>
 * <tr><td>{@link #cleanerBackoffMs()}</td><td>-</td><td>log.cleaner.backoff.ms</td><td>15 s</td></tr>
 * </table>
 *
 * <p>cleanup.policy is {@code delete}, {@code compact} or both ({@code compact,delete} in either order).
 * Retention by time and size applies only when it contains {@code delete}; compaction only when it contains
 * {@code compact}.
 *
 * <p>Built with {@link #builder()} or {@link #toBuilder()}; {@link Builder#set(String, String)} accepts the
 * names above so a broker can apply a property map without its own table.
 */
public final class LogConfig {
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String CLEANER_BACKOFF_MS = "log.cleaner.backoff.ms";

    /** cleanup.policy values. */
    public static final String POLICY_DELETE = "delete";
    public static final String POLICY_COMPACT = "compact";

    public static final int DEFAULT_SEGMENT_BYTES = 1024 * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_MS = 7L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_RETENTION_BYTES = -1L;
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    public static final int DEFAULT_SEGMENT_INDEX_BYTES = 10 * 1024 * 1024;
    public static final long DEFAULT_FILE_DELETE_DELAY_MS = 60_000L;
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 24L * 60 * 60 * 1000;
    public static final String DEFAULT_CLEANUP_POLICY = POLICY_DELETE;
    public static final long DEFAULT_DELETE_RETENTION_MS = 24L * 60 * 60 * 1000;
    public static final double DEFAULT_MIN_CLEANABLE_DIRTY_RATIO = 0.5;
    public static final long DEFAULT_MIN_COMPACTION_LAG_MS = 0L;
    public static final long DEFAULT_MAX_COMPACTION_LAG_MS = Long.MAX_VALUE;
    public static final long DEFAULT_CLEANER_BACKOFF_MS = 15_000L;

    /** Smallest index file: room for two time-index entries, one of them reserved for the final entry. */
    static final int MIN_SEGMENT_INDEX_BYTES = 24;

    private static final Set<String> NAMES = Set.of(SEGMENT_BYTES, SEGMENT_MS, RETENTION_MS, RETENTION_BYTES,
            INDEX_INTERVAL_BYTES, SEGMENT_INDEX_BYTES, FILE_DELETE_DELAY_MS, PRODUCER_ID_EXPIRATION_MS,
            "log.segment.bytes", "log.roll.ms", "log.retention.ms", "log.retention.bytes",
            "log.index.interval.bytes", "log.index.size.max.bytes", "log.segment.delete.delay.ms",
            CLEANUP_POLICY, DELETE_RETENTION_MS, MIN_CLEANABLE_DIRTY_RATIO, MIN_COMPACTION_LAG_MS,
            MAX_COMPACTION_LAG_MS, CLEANER_BACKOFF_MS, "log.cleanup.policy", "log.cleaner.delete.retention.ms",
            "log.cleaner.min.cleanable.ratio", "log.cleaner.min.compaction.lag.ms",
            "log.cleaner.max.compaction.lag.ms");

    private static final LogConfig DEFAULTS = new Builder().build();

    private final int segmentBytes;
    private final long segmentMs;
    private final long retentionMs;
    private final long retentionBytes;
    private final int indexIntervalBytes;
    private final int segmentIndexBytes;
    private final long fileDeleteDelayMs;
    private final long producerIdExpirationMs;
    private final boolean compact;
    private final boolean delete;
    private final long deleteRetentionMs;
    private final double minCleanableDirtyRatio;
    private final long minCompactionLagMs;
    private final long maxCompactionLagMs;
    private final long cleanerBackoffMs;

    private LogConfig(Builder b) {
        this.segmentBytes = b.segmentBytes;
        this.segmentMs = b.segmentMs;
        this.retentionMs = b.retentionMs;
        this.retentionBytes = b.retentionBytes;
        this.indexIntervalBytes = b.indexIntervalBytes;
        this.segmentIndexBytes = b.segmentIndexBytes;
        this.fileDeleteDelayMs = b.fileDeleteDelayMs;
        this.producerIdExpirationMs = b.producerIdExpirationMs;
        this.compact = b.compact;
        this.delete = b.delete;
        this.deleteRetentionMs = b.deleteRetentionMs;
        this.minCleanableDirtyRatio = b.minCleanableDirtyRatio;
        this.minCompactionLagMs = b.minCompactionLagMs;
        this.maxCompactionLagMs = b.maxCompactionLagMs;
        this.cleanerBackoffMs = b.cleanerBackoffMs;
    }

    /** Kafka's defaults. */
    public static LogConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        final Builder b = new Builder();
        b.segmentBytes = segmentBytes;
        b.segmentMs = segmentMs;
        b.retentionMs = retentionMs;
        b.retentionBytes = retentionBytes;
        b.indexIntervalBytes = indexIntervalBytes;
        b.segmentIndexBytes = segmentIndexBytes;
        b.fileDeleteDelayMs = fileDeleteDelayMs;
        b.producerIdExpirationMs = producerIdExpirationMs;
        b.compact = compact;
        b.delete = delete;
        b.deleteRetentionMs = deleteRetentionMs;
        b.minCleanableDirtyRatio = minCleanableDirtyRatio;
        b.minCompactionLagMs = minCompactionLagMs;
        b.maxCompactionLagMs = maxCompactionLagMs;
        b.cleanerBackoffMs = cleanerBackoffMs;
        return b;
    }

    /** True for the names {@link Builder#set(String, String)} accepts. */
    public static boolean isKnown(String name) {
        return NAMES.contains(name);
    }

    /** segment.bytes: the active segment rolls before an append would take it past this size. */
    public int segmentBytes() {
        return segmentBytes;
    }

    /** segment.ms: the active segment rolls once its first batch was appended longer ago than this. */
    public long segmentMs() {
        return segmentMs;
    }

    /** retention.ms: segments whose newest timestamp is older than this are deleted; -1 keeps them. */
    public long retentionMs() {
        return retentionMs;
    }

    /** retention.bytes: the oldest segments are deleted while the log is this much larger; -1 for no limit. */
    public long retentionBytes() {
        return retentionBytes;
    }

    /** index.interval.bytes: how many log bytes pass between two offset-index entries. */
    public int indexIntervalBytes() {
        return indexIntervalBytes;
    }

    /** segment.index.bytes: size each index file is preallocated to; a full index rolls the segment. */
    public int segmentIndexBytes() {
        return segmentIndexBytes;
    }

    /** file.delete.delay.ms: how long deleted segments stay open so reads in flight can finish. */
    public long fileDeleteDelayMs() {
        return fileDeleteDelayMs;
    }

    /** producer.id.expiration.ms: idle producers are forgotten after this long. */
    public long producerIdExpirationMs() {
        return producerIdExpirationMs;
    }

    /** cleanup.policy in canonical form: {@code delete}, {@code compact} or {@code compact,delete}. */
    public String cleanupPolicy() {
        return compact && delete ? POLICY_COMPACT + "," + POLICY_DELETE : compact ? POLICY_COMPACT : POLICY_DELETE;
    }

    /** Whether cleanup.policy contains {@code compact}: the cleaner keeps the latest record per key. */
    public boolean compact() {
        return compact;
    }

    /** Whether cleanup.policy contains {@code delete}: retention.ms and retention.bytes apply. */
    public boolean delete() {
        return delete;
    }

    /** delete.retention.ms: how long a tombstone stays after the cleaner first saw it. */
    public long deleteRetentionMs() {
        return deleteRetentionMs;
    }

    /** min.cleanable.dirty.ratio: dirty bytes / cleanable bytes that make the cleaner compact a log. */
    public double minCleanableDirtyRatio() {
        return minCleanableDirtyRatio;
    }

    /** min.compaction.lag.ms: records younger than this are never compacted. */
    public long minCompactionLagMs() {
        return minCompactionLagMs;
    }

    /** max.compaction.lag.ms: dirty records older than this make a log cleanable whatever its dirty ratio. */
    public long maxCompactionLagMs() {
        return maxCompactionLagMs;
    }

    /** log.cleaner.backoff.ms (broker level): how long the cleaner thread sleeps when no log needed cleaning. */
    public long cleanerBackoffMs() {
        return cleanerBackoffMs;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LogConfig)) {
            return false;
        }
        final LogConfig c = (LogConfig) o;
        return segmentBytes == c.segmentBytes && segmentMs == c.segmentMs && retentionMs == c.retentionMs
                && retentionBytes == c.retentionBytes && indexIntervalBytes == c.indexIntervalBytes
                && segmentIndexBytes == c.segmentIndexBytes && fileDeleteDelayMs == c.fileDeleteDelayMs
                && producerIdExpirationMs == c.producerIdExpirationMs && compact == c.compact && delete == c.delete
                && deleteRetentionMs == c.deleteRetentionMs
                && Double.compare(minCleanableDirtyRatio, c.minCleanableDirtyRatio) == 0
                && minCompactionLagMs == c.minCompactionLagMs && maxCompactionLagMs == c.maxCompactionLagMs
                && cleanerBackoffMs == c.cleanerBackoffMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes,
                segmentIndexBytes, fileDeleteDelayMs, producerIdExpirationMs, compact, delete, deleteRetentionMs,
                minCleanableDirtyRatio, minCompactionLagMs, maxCompactionLagMs, cleanerBackoffMs);
    }

    @Override
    public String toString() {
        return "LogConfig(" + SEGMENT_BYTES + "=" + segmentBytes + ", " + SEGMENT_MS + "=" + segmentMs + ", "
                + RETENTION_MS + "=" + retentionMs + ", " + RETENTION_BYTES + "=" + retentionBytes + ", "
                + INDEX_INTERVAL_BYTES + "=" + indexIntervalBytes + ", " + SEGMENT_INDEX_BYTES + "="
                + segmentIndexBytes + ", " + FILE_DELETE_DELAY_MS + "=" + fileDeleteDelayMs + ", "
                + PRODUCER_ID_EXPIRATION_MS + "=" + producerIdExpirationMs + ", " + CLEANUP_POLICY + "="
                + cleanupPolicy() + ", " + DELETE_RETENTION_MS + "=" + deleteRetentionMs + ", "
                + MIN_CLEANABLE_DIRTY_RATIO + "=" + minCleanableDirtyRatio + ", " + MIN_COMPACTION_LAG_MS + "="
                + minCompactionLagMs + ", " + MAX_COMPACTION_LAG_MS + "=" + maxCompactionLagMs + ", "
                + CLEANER_BACKOFF_MS + "=" + cleanerBackoffMs + ")";
    }

    /** Mutable builder; {@link #build()} validates every field once. */
    public static final class Builder {
        private int segmentBytes = DEFAULT_SEGMENT_BYTES;
        private long segmentMs = DEFAULT_SEGMENT_MS;
        private long retentionMs = DEFAULT_RETENTION_MS;
        private long retentionBytes = DEFAULT_RETENTION_BYTES;
        private int indexIntervalBytes = DEFAULT_INDEX_INTERVAL_BYTES;
        private int segmentIndexBytes = DEFAULT_SEGMENT_INDEX_BYTES;
        private long fileDeleteDelayMs = DEFAULT_FILE_DELETE_DELAY_MS;
        private long producerIdExpirationMs = DEFAULT_PRODUCER_ID_EXPIRATION_MS;
        private boolean compact;
        private boolean delete = true;
        private long deleteRetentionMs = DEFAULT_DELETE_RETENTION_MS;
        private double minCleanableDirtyRatio = DEFAULT_MIN_CLEANABLE_DIRTY_RATIO;
        private long minCompactionLagMs = DEFAULT_MIN_COMPACTION_LAG_MS;
        private long maxCompactionLagMs = DEFAULT_MAX_COMPACTION_LAG_MS;
        private long cleanerBackoffMs = DEFAULT_CLEANER_BACKOFF_MS;

        private Builder() {
        }

        /**
         * cleanup.policy as Kafka writes it: a comma-separated list of {@code delete} and {@code compact}.
         *
         * @throws IllegalArgumentException for an empty list or any other word
         */
        public Builder cleanupPolicy(String value) {
            boolean c = false;
            boolean d = false;
            for (String part : value.split(",", -1)) {
                switch (part.trim()) {
                    case POLICY_COMPACT:
                        c = true;
                        break;
                    case POLICY_DELETE:
                        d = true;
                        break;
                    default:
                        throw new IllegalArgumentException("Invalid value " + value + " for " + CLEANUP_POLICY
                                + ": must be a list of [" + POLICY_DELETE + ", " + POLICY_COMPACT + "]");
                }
            }
            this.compact = c;
            this.delete = d;
            return this;
        }

        public Builder deleteRetentionMs(long value) {
            this.deleteRetentionMs = value;
            return this;
        }

        public Builder minCleanableDirtyRatio(double value) {
            this.minCleanableDirtyRatio = value;
            return this;
        }

        public Builder minCompactionLagMs(long value) {
            this.minCompactionLagMs = value;
            return this;
        }

        public Builder maxCompactionLagMs(long value) {
            this.maxCompactionLagMs = value;
            return this;
        }

        public Builder cleanerBackoffMs(long value) {
            this.cleanerBackoffMs = value;
            return this;
        }

        public Builder segmentBytes(int value) {
            this.segmentBytes = value;
            return this;
        }

        public Builder segmentMs(long value) {
            this.segmentMs = value;
            return this;
        }

        public Builder retentionMs(long value) {
            this.retentionMs = value;
            return this;
        }

        public Builder retentionBytes(long value) {
            this.retentionBytes = value;
            return this;
        }

        public Builder indexIntervalBytes(int value) {
            this.indexIntervalBytes = value;
            return this;
        }

        public Builder segmentIndexBytes(int value) {
            this.segmentIndexBytes = value;
            return this;
        }

        public Builder fileDeleteDelayMs(long value) {
            this.fileDeleteDelayMs = value;
            return this;
        }

        public Builder producerIdExpirationMs(long value) {
            this.producerIdExpirationMs = value;
            return this;
        }

        /**
         * Sets a field by its Kafka topic-level or broker-level name (see the table on {@link LogConfig}).
         *
         * @throws IllegalArgumentException for an unknown name or a value that is not a number
         */
        public Builder set(String name, String value) {
            try {
                switch (name) {
                    case SEGMENT_BYTES:
                    case "log.segment.bytes":
                        return segmentBytes(Integer.parseInt(value.trim()));
                    case SEGMENT_MS:
                    case "log.roll.ms":
                        return segmentMs(Long.parseLong(value.trim()));
                    case RETENTION_MS:
                    case "log.retention.ms":
                        return retentionMs(Long.parseLong(value.trim()));
                    case RETENTION_BYTES:
                    case "log.retention.bytes":
                        return retentionBytes(Long.parseLong(value.trim()));
                    case INDEX_INTERVAL_BYTES:
                    case "log.index.interval.bytes":
                        return indexIntervalBytes(Integer.parseInt(value.trim()));
                    case SEGMENT_INDEX_BYTES:
                    case "log.index.size.max.bytes":
                        return segmentIndexBytes(Integer.parseInt(value.trim()));
                    case FILE_DELETE_DELAY_MS:
                    case "log.segment.delete.delay.ms":
                        return fileDeleteDelayMs(Long.parseLong(value.trim()));
                    case PRODUCER_ID_EXPIRATION_MS:
                        return producerIdExpirationMs(Long.parseLong(value.trim()));
                    case CLEANUP_POLICY:
                    case "log.cleanup.policy":
                        return cleanupPolicy(value);
                    case DELETE_RETENTION_MS:
                    case "log.cleaner.delete.retention.ms":
                        return deleteRetentionMs(Long.parseLong(value.trim()));
                    case MIN_CLEANABLE_DIRTY_RATIO:
                    case "log.cleaner.min.cleanable.ratio":
                        return minCleanableDirtyRatio(Double.parseDouble(value.trim()));
                    case MIN_COMPACTION_LAG_MS:
                    case "log.cleaner.min.compaction.lag.ms":
                        return minCompactionLagMs(Long.parseLong(value.trim()));
                    case MAX_COMPACTION_LAG_MS:
                    case "log.cleaner.max.compaction.lag.ms":
                        return maxCompactionLagMs(Long.parseLong(value.trim()));
                    case CLEANER_BACKOFF_MS:
                        return cleanerBackoffMs(Long.parseLong(value.trim()));
                    default:
                        throw new IllegalArgumentException("Unknown log config '" + name + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid value '" + value + "' for " + name + ": not a number", e);
            }
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first invalid field and its allowed range
         */
        public LogConfig build() {
            require(segmentBytes >= 1, SEGMENT_BYTES, segmentBytes, "at least 1");
            require(segmentMs >= 1, SEGMENT_MS, segmentMs, "at least 1");
            require(retentionMs >= -1, RETENTION_MS, retentionMs, "-1 or more");
            require(retentionBytes >= -1, RETENTION_BYTES, retentionBytes, "-1 or more");
            require(indexIntervalBytes >= 0, INDEX_INTERVAL_BYTES, indexIntervalBytes, "0 or more");
            require(segmentIndexBytes >= MIN_SEGMENT_INDEX_BYTES, SEGMENT_INDEX_BYTES, segmentIndexBytes,
                    "at least " + MIN_SEGMENT_INDEX_BYTES);
            require(fileDeleteDelayMs >= 0, FILE_DELETE_DELAY_MS, fileDeleteDelayMs, "0 or more");
            require(producerIdExpirationMs >= 1, PRODUCER_ID_EXPIRATION_MS, producerIdExpirationMs, "at least 1");
            require(deleteRetentionMs >= 0, DELETE_RETENTION_MS, deleteRetentionMs, "0 or more");
            if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
                throw new IllegalArgumentException("Invalid value " + minCleanableDirtyRatio + " for "
                        + MIN_CLEANABLE_DIRTY_RATIO + ": must be between 0 and 1");
            }
            require(minCompactionLagMs >= 0, MIN_COMPACTION_LAG_MS, minCompactionLagMs, "0 or more");
            require(maxCompactionLagMs >= 1, MAX_COMPACTION_LAG_MS, maxCompactionLagMs, "at least 1");
            if (minCompactionLagMs > maxCompactionLagMs) {
                throw new IllegalArgumentException("Invalid value " + minCompactionLagMs + " for "
                        + MIN_COMPACTION_LAG_MS + ": must not exceed " + MAX_COMPACTION_LAG_MS + " ("
                        + maxCompactionLagMs + ")");
            }
            require(cleanerBackoffMs >= 0, CLEANER_BACKOFF_MS, cleanerBackoffMs, "0 or more");
            return new LogConfig(this);
        }

        private static void require(boolean ok, String name, long value, String range) {
            if (!ok) {
                throw new IllegalArgumentException("Invalid value " + value + " for " + name + ": must be " + range);
            }
        }
    }
}

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
 * </table>
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

    public static final int DEFAULT_SEGMENT_BYTES = 1024 * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_MS = 7L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_RETENTION_BYTES = -1L;
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    public static final int DEFAULT_SEGMENT_INDEX_BYTES = 10 * 1024 * 1024;
    public static final long DEFAULT_FILE_DELETE_DELAY_MS = 60_000L;
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 24L * 60 * 60 * 1000;

    /** Smallest index file: room for two time-index entries, one of them reserved for the final entry. */
    static final int MIN_SEGMENT_INDEX_BYTES = 24;

    private static final Set<String> NAMES = Set.of(SEGMENT_BYTES, SEGMENT_MS, RETENTION_MS, RETENTION_BYTES,
            INDEX_INTERVAL_BYTES, SEGMENT_INDEX_BYTES, FILE_DELETE_DELAY_MS, PRODUCER_ID_EXPIRATION_MS,
            "log.segment.bytes", "log.roll.ms", "log.retention.ms", "log.retention.bytes",
            "log.index.interval.bytes", "log.index.size.max.bytes", "log.segment.delete.delay.ms");

    private static final LogConfig DEFAULTS = new Builder().build();

    private final int segmentBytes;
    private final long segmentMs;
    private final long retentionMs;
    private final long retentionBytes;
    private final int indexIntervalBytes;
    private final int segmentIndexBytes;
    private final long fileDeleteDelayMs;
    private final long producerIdExpirationMs;

    private LogConfig(Builder b) {
        this.segmentBytes = b.segmentBytes;
        this.segmentMs = b.segmentMs;
        this.retentionMs = b.retentionMs;
        this.retentionBytes = b.retentionBytes;
        this.indexIntervalBytes = b.indexIntervalBytes;
        this.segmentIndexBytes = b.segmentIndexBytes;
        this.fileDeleteDelayMs = b.fileDeleteDelayMs;
        this.producerIdExpirationMs = b.producerIdExpirationMs;
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

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LogConfig)) {
            return false;
        }
        final LogConfig c = (LogConfig) o;
        return segmentBytes == c.segmentBytes && segmentMs == c.segmentMs && retentionMs == c.retentionMs
                && retentionBytes == c.retentionBytes && indexIntervalBytes == c.indexIntervalBytes
                && segmentIndexBytes == c.segmentIndexBytes && fileDeleteDelayMs == c.fileDeleteDelayMs
                && producerIdExpirationMs == c.producerIdExpirationMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes,
                segmentIndexBytes, fileDeleteDelayMs, producerIdExpirationMs);
    }

    @Override
    public String toString() {
        return "LogConfig(" + SEGMENT_BYTES + "=" + segmentBytes + ", " + SEGMENT_MS + "=" + segmentMs + ", "
                + RETENTION_MS + "=" + retentionMs + ", " + RETENTION_BYTES + "=" + retentionBytes + ", "
                + INDEX_INTERVAL_BYTES + "=" + indexIntervalBytes + ", " + SEGMENT_INDEX_BYTES + "="
                + segmentIndexBytes + ", " + FILE_DELETE_DELAY_MS + "=" + fileDeleteDelayMs + ", "
                + PRODUCER_ID_EXPIRATION_MS + "=" + producerIdExpirationMs + ")";
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

        private Builder() {
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
            return new LogConfig(this);
        }

        private static void require(boolean ok, String name, long value, String range) {
            if (!ok) {
                throw new IllegalArgumentException("Invalid value " + value + " for " + name + ": must be " + range);
            }
        }
    }
}

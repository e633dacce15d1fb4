package dev.skiff.broker.internal.group;

import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.record.BatchHeader;
import dev.skiff.protocol.record.BatchIterator;
import dev.skiff.protocol.record.CompressionType;
import dev.skiff.protocol.record.MemoryRecords;
import dev.skiff.protocol.record.RecordBatchBuilder;
import dev.skiff.protocol.record.RecordReader;
import dev.skiff.storage.AppendResult;
import dev.skiff.storage.LogConfig;
import dev.skiff.storage.LogManager;
import dev.skiff.storage.PartitionLog;
import dev.skiff.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's durable changelog: committed offsets and group metadata as key/value records
 * ({@link GroupRecords}) in the partition log {@code __consumer_offsets-0}.
 *
 * <p>Design note: the log lives in the broker's log directory like any partition, so it gets the
 * storage layer's recovery and group-commit fsync for free, but it is not registered as a topic:
 * clients never see it in Metadata. Like Kafka's, it is a compacted log (cleanup.policy=compact):
 * every record is keyed by group (and topic-partition for offsets), so the storage layer's cleaner
 * keeps only the latest record per key and the log stays about as large as the live state instead of
 * growing with every commit. Deleting an offset or a group writes a tombstone (null value), which the
 * cleaner keeps for delete.retention.ms and then drops with the records it deleted. Retention by time
 * or size is off (it would lose offsets). Segments roll at offsets.topic.segment.bytes (100 MiB, as
 * Kafka), not at the broker's log.segment.bytes, so that
 * compaction, which only touches closed segments, actually runs. Replay reads the compacted log the
 * same way: records in offset order, the last one per key wins. There is a single writer, the
 * coordinator thread. Writes return once the batch is in the page cache; callers that answer a
 * client wait for {@link PartitionLog#flushUpTo} through the returned future, so an acknowledged
 * commit survives a power loss.
 */
final class GroupLog {
    static final TopicPartition PARTITION = new TopicPartition("__consumer_offsets", 0);
    private static final Logger LOG = LoggerFactory.getLogger(GroupLog.class);
    private static final int READ_CHUNK = 1024 * 1024;

    /** What replay reports, oldest record first; a null value is a tombstone. */
    interface Visitor {
        void offset(String group, String topic, int partition, CommittedOffset value);

        void group(String group, GroupRecords.StoredGroup value);

        /** A KIP-848 consumer group; a no-op by default for visitors that only read offsets and classic groups. */
        default void consumerGroup(String group, GroupRecords.StoredConsumerGroup value) {
        }
    }

    /** One record to write: a key and a value, or a null value to delete the key. */
    record Entry(ByteBuffer key, ByteBuffer value) {
    }

    private final PartitionLog log;

    private GroupLog(PartitionLog log) {
        this.log = log;
    }

    /** Opens the log in {@code logs}, creating it on first use: compacted, retention disabled. */
    static GroupLog open(LogManager logs) {
        return open(logs, GroupConfig.DEFAULT_OFFSETS_TOPIC_SEGMENT_BYTES);
    }

    /** {@link #open(LogManager)} with another segment size (tests force rolls with small ones). */
    static GroupLog open(LogManager logs, int segmentBytes) {
        final LogConfig config = logs.defaults().toBuilder().retentionMs(-1).retentionBytes(-1)
                .cleanupPolicy(LogConfig.POLICY_COMPACT).segmentBytes(segmentBytes).build();
        PartitionLog log = logs.log(PARTITION);
        if (log == null) {
            log = logs.createLog(PARTITION, config);
        } else {
            log.updateConfig(config);
        }
        return new GroupLog(log);
    }

    /**
     * Reads the whole log and reports every record to {@code visitor}. A record that does not decode is
     * logged and skipped: one bad record must not keep the broker from starting.
     *
     * @return records read
     */
    long replay(Visitor visitor) {
        long offset = log.logStartOffset();
        final long end = log.logEndOffset();
        final RecordReader records = new RecordReader();
        long count = 0;
        while (offset < end) {
            final ByteBuffer chunk = log.read(offset, READ_CHUNK).readInto();
            if (!chunk.hasRemaining()) {
                break;
            }
            final BatchIterator batches = new BatchIterator(chunk);
            while (batches.hasNext()) {
                final BatchHeader batch = batches.next();
                if (batch.lastOffset() < offset) {
                    continue;
                }
                records.open(batch);
                while (records.next()) {
                    if (records.offset() >= offset) {
                        count++;
                        visit(records, visitor);
                    }
                }
                offset = batch.lastOffset() + 1;
            }
        }
        return count;
    }

    private static void visit(RecordReader record, Visitor visitor) {
        try {
            if (!record.hasKey()) {
                throw new DecodeException("record without a key");
            }
            final GroupRecords.Key key = GroupRecords.readKey(record.key());
            final ByteBuffer value = record.hasValue() ? record.value() : null;
            if (key.type() == GroupRecords.OFFSET_KEY) {
                visitor.offset(key.group(), key.topic(), key.partition(),
                        value == null ? null : GroupRecords.readOffsetValue(value));
            } else if (key.type() == GroupRecords.CONSUMER_GROUP_KEY) {
                visitor.consumerGroup(key.group(), value == null ? null : GroupRecords.readConsumerGroupValue(value));
            } else {
                visitor.group(key.group(), value == null ? null : GroupRecords.readGroupValue(value));
            }
        } catch (DecodeException e) {
            LOG.warn("Skipping unreadable record at offset {} of {}: {}", record.offset(), PARTITION, e.getMessage());
        }
    }

    /**
     * Appends {@code entries} as one batch (nothing for an empty list).
     *
     * @return completes once the batch is fsync'd; exceptionally if the write or the fsync failed
     */
    CompletableFuture<Void> append(List<Entry> entries, long nowMs) {
        if (entries.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            final RecordBatchBuilder builder = RecordBatchBuilder.growing(512, Integer.MAX_VALUE, CompressionType.NONE);
            for (Entry e : entries) {
                builder.append(nowMs, e.key(), e.value(), null);
            }
            final MemoryRecords batch = builder.build();
            final AppendResult result = log.append(batch.buffer(), nowMs);
            if (result.status() != AppendResult.Status.APPENDED) {
                return CompletableFuture.failedFuture(new IllegalStateException("append to " + PARTITION
                        + " was not written: " + result.status()));
            }
            return log.flushUpTo(result.lastOffset() + 1);
        } catch (RuntimeException e) {
            LOG.error("Write to {} failed", PARTITION, e);
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The underlying partition log (tests compact it on demand). */
    PartitionLog partitionLog() {
        return log;
    }

    /** Bytes in the log, for tests and metrics. */
    long sizeInBytes() {
        return log.sizeInBytes();
    }
}

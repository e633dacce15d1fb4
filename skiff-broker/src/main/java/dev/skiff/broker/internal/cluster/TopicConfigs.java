package dev.skiff.broker.internal.cluster;

import dev.skiff.broker.BrokerConfig;
import dev.skiff.broker.internal.ConfigKey;
import dev.skiff.storage.LogConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Topic-level configuration: Kafka's topic keys, their broker-level defaults, and the mapping to the
 * storage {@link LogConfig}.
 *
 * <p>A topic stores only its overrides; every other key takes the broker's value, which in turn may
 * be the default. DescribeConfigs reports which of the three a value came from.
 */
public final class TopicConfigs {
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    /** One topic key with the broker key that supplies its default. */
    public record Entry(ConfigKey key, String brokerKey) {
    }

    public static final List<Entry> ENTRIES = List.of(
            new Entry(ConfigKey.intKey(SEGMENT_BYTES, null, 14, Integer.MAX_VALUE,
                    "Segment file size for this topic."), BrokerConfig.LOG_SEGMENT_BYTES),
            new Entry(ConfigKey.longKey(SEGMENT_MS, null, 1, Long.MAX_VALUE,
                    "Age after which the active segment is rolled."), BrokerConfig.LOG_ROLL_MS),
            new Entry(ConfigKey.longKey(RETENTION_MS, null, -1, Long.MAX_VALUE,
                    "Age after which old segments are deleted; -1 keeps them."), BrokerConfig.LOG_RETENTION_MS),
            new Entry(ConfigKey.longKey(RETENTION_BYTES, null, -1, Long.MAX_VALUE,
                    "Size above which old segments are deleted; -1 for no limit."), BrokerConfig.LOG_RETENTION_BYTES),
            new Entry(ConfigKey.intKey(MAX_MESSAGE_BYTES, null, 0, Integer.MAX_VALUE,
                    "Largest record batch accepted for this topic."), BrokerConfig.MESSAGE_MAX_BYTES),
            new Entry(ConfigKey.intKey(INDEX_INTERVAL_BYTES, null, 0, Integer.MAX_VALUE,
                    "Bytes between offset index entries."), BrokerConfig.LOG_INDEX_INTERVAL_BYTES),
            new Entry(ConfigKey.intKey(SEGMENT_INDEX_BYTES, null, 4, Integer.MAX_VALUE,
                    "Preallocated index file size."), BrokerConfig.LOG_INDEX_SIZE_MAX_BYTES),
            new Entry(ConfigKey.list(CLEANUP_POLICY, "delete",
                    "delete (retention by time and size), compact (keep the latest record per key), or both."),
                    BrokerConfig.LOG_CLEANUP_POLICY),
            new Entry(ConfigKey.longKey(DELETE_RETENTION_MS, null, 0, Long.MAX_VALUE,
                    "How long a tombstone stays in a compacted topic after the cleaner first saw it."),
                    BrokerConfig.LOG_CLEANER_DELETE_RETENTION_MS),
            new Entry(ConfigKey.string(MIN_CLEANABLE_DIRTY_RATIO, null,
                    "Dirty share of the log, 0 to 1, that makes the cleaner compact it."),
                    BrokerConfig.LOG_CLEANER_MIN_CLEANABLE_RATIO),
            new Entry(ConfigKey.longKey(MIN_COMPACTION_LAG_MS, null, 0, Long.MAX_VALUE,
                    "Records younger than this are never compacted."), BrokerConfig.LOG_CLEANER_MIN_COMPACTION_LAG_MS),
            new Entry(ConfigKey.longKey(MAX_COMPACTION_LAG_MS, null, 1, Long.MAX_VALUE,
                    "Dirty records older than this are compacted whatever the dirty ratio."),
                    BrokerConfig.LOG_CLEANER_MAX_COMPACTION_LAG_MS),
            new Entry(ConfigKey.string(MESSAGE_TIMESTAMP_TYPE, "CreateTime",
                    "Only CreateTime is supported."), null),
            new Entry(ConfigKey.intKey(MIN_INSYNC_REPLICAS, 1, 1, 1,
                    "A single node always has one in-sync replica."), null));

    private TopicConfigs() {
    }

    /** The entry for a topic key, or null when Kafka's name is not a topic config Skiff knows. */
    public static Entry entry(String name) {
        for (Entry e : ENTRIES) {
            if (e.key().name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Validates topic overrides; returns null when valid, else a message for INVALID_CONFIG.
     */
    public static String validate(Map<String, String> overrides) {
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            final Entry e = entry(o.getKey());
            if (e == null) {
                return "Unknown topic config name: " + o.getKey();
            }
            if (o.getValue() == null) {
                return "Null value not supported for topic config " + o.getKey();
            }
            try {
                e.key().parse(o.getValue());
            } catch (RuntimeException ex) {
                return ex.getMessage();
            }
            if (o.getKey().equals(CLEANUP_POLICY)) {
                try {
                    LogConfig.builder().cleanupPolicy(o.getValue());
                } catch (IllegalArgumentException ex) {
                    return "Invalid value " + o.getValue() + " for configuration cleanup.policy: String must be one "
                            + "of: compact, delete";
                }
            }
            if (o.getKey().equals(MIN_CLEANABLE_DIRTY_RATIO)) {
                double ratio;
                try {
                    ratio = Double.parseDouble(o.getValue().trim());
                } catch (NumberFormatException ex) {
                    ratio = Double.NaN;
                }
                if (!(ratio >= 0 && ratio <= 1)) {
                    return "Invalid value " + o.getValue() + " for configuration min.cleanable.dirty.ratio: Value "
                            + "must be between 0 and 1";
                }
            }
            if (o.getKey().equals(MESSAGE_TIMESTAMP_TYPE) && !o.getValue().trim().equals("CreateTime")) {
                return "Invalid value " + o.getValue()
                        + " for configuration message.timestamp.type: Skiff supports 'CreateTime'";
            }
        }
        // Combinations (min.compaction.lag.ms above max.compaction.lag.ms) are checked by the storage config.
        final LogConfig.Builder combined = LogConfig.builder();
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            if (LogConfig.isKnown(o.getKey())) {
                combined.set(o.getKey(), o.getValue());
            }
        }
        try {
            combined.build();
        } catch (IllegalArgumentException ex) {
            return ex.getMessage();
        }
        return null;
    }

    /** The effective value of every topic key for a topic with these overrides. */
    public static Map<String, String> effective(BrokerConfig broker, Map<String, String> overrides) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (Entry e : ENTRIES) {
            out.put(e.key().name(), valueOf(e, broker, overrides));
        }
        return out;
    }

    /** Where a topic key's value comes from. */
    public enum Source { TOPIC, BROKER, DEFAULT }

    public static Source sourceOf(Entry e, BrokerConfig broker, Map<String, String> overrides) {
        if (overrides.containsKey(e.key().name())) {
            return Source.TOPIC;
        }
        if (e.brokerKey() != null && broker.isSet(e.brokerKey())) {
            return Source.BROKER;
        }
        return Source.DEFAULT;
    }

    static String valueOf(Entry e, BrokerConfig broker, Map<String, String> overrides) {
        final String override = overrides.get(e.key().name());
        if (override != null) {
            return override.trim();
        }
        if (e.brokerKey() == null) {
            return e.key().defaultValue();
        }
        switch (e.key().name()) {
            case SEGMENT_MS:
                return Long.toString(broker.rollMs());
            case RETENTION_MS:
                return Long.toString(broker.retentionMs());
            default:
                return broker.valueAsString(e.brokerKey());
        }
    }

    /** The storage configuration for a topic. */
    public static LogConfig logConfig(BrokerConfig broker, Map<String, String> overrides) {
        final Map<String, String> v = effective(broker, overrides);
        return LogConfig.builder()
                .segmentBytes(Integer.parseInt(v.get(SEGMENT_BYTES)))
                .segmentMs(Long.parseLong(v.get(SEGMENT_MS)))
                .retentionMs(Long.parseLong(v.get(RETENTION_MS)))
                .retentionBytes(Long.parseLong(v.get(RETENTION_BYTES)))
                .indexIntervalBytes(Integer.parseInt(v.get(INDEX_INTERVAL_BYTES)))
                .segmentIndexBytes(Integer.parseInt(v.get(SEGMENT_INDEX_BYTES)))
                .cleanupPolicy(v.get(CLEANUP_POLICY))
                .deleteRetentionMs(Long.parseLong(v.get(DELETE_RETENTION_MS)))
                .minCleanableDirtyRatio(Double.parseDouble(v.get(MIN_CLEANABLE_DIRTY_RATIO)))
                .minCompactionLagMs(Long.parseLong(v.get(MIN_COMPACTION_LAG_MS)))
                .maxCompactionLagMs(Long.parseLong(v.get(MAX_COMPACTION_LAG_MS)))
                .cleanerBackoffMs(broker.logCleanerBackoffMs())
                .build();
    }

    /** The largest batch this topic accepts. */
    public static int maxMessageBytes(BrokerConfig broker, Map<String, String> overrides) {
        return Integer.parseInt(valueOf(entry(MAX_MESSAGE_BYTES), broker, overrides));
    }
}

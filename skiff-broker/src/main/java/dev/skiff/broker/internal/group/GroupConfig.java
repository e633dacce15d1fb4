package dev.skiff.broker.internal.group;

import dev.skiff.broker.BrokerConfig;

/**
 * The coordinator's settings, with Kafka's key names (see {@link BrokerConfig}).
 *
 * @param minSessionTimeoutMs        group.min.session.timeout.ms
 * @param maxSessionTimeoutMs        group.max.session.timeout.ms
 * @param initialRebalanceDelayMs    group.initial.rebalance.delay.ms: how long the first rebalance of an
 *                                   empty group waits for more members
 * @param newMemberJoinTimeoutMs     how long a brand-new member may wait in a join phase (Kafka's fixed 5 min)
 * @param offsetsRetentionMs         offsets.retention.minutes in ms
 * @param retentionCheckIntervalMs   offsets.retention.check.interval.ms
 * @param offsetMetadataMaxBytes     offset.metadata.max.bytes
 * @param offsetsTopicSegmentBytes   offsets.topic.segment.bytes: segment size of the group log
 */
public record GroupConfig(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs,
                          int newMemberJoinTimeoutMs, long offsetsRetentionMs, long retentionCheckIntervalMs,
                          int offsetMetadataMaxBytes, int offsetsTopicSegmentBytes) {

    /** Kafka's offsets.topic.segment.bytes default: 100 MiB. */
    public static final int DEFAULT_OFFSETS_TOPIC_SEGMENT_BYTES = 100 * 1024 * 1024;

    /** With the default group log segment size. */
    public GroupConfig(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs,
                       int newMemberJoinTimeoutMs, long offsetsRetentionMs, long retentionCheckIntervalMs,
                       int offsetMetadataMaxBytes) {
        this(minSessionTimeoutMs, maxSessionTimeoutMs, initialRebalanceDelayMs, newMemberJoinTimeoutMs,
                offsetsRetentionMs, retentionCheckIntervalMs, offsetMetadataMaxBytes,
                DEFAULT_OFFSETS_TOPIC_SEGMENT_BYTES);
    }

    /** Kafka's defaults. */
    public static GroupConfig defaults() {
        return new GroupConfig(6_000, 1_800_000, 3_000, 300_000, 7L * 24 * 60 * 60 * 1000, 600_000, 4096);
    }

    /** The settings of a broker configuration. */
    public static GroupConfig from(BrokerConfig config) {
        return new GroupConfig(config.groupMinSessionTimeoutMs(), config.groupMaxSessionTimeoutMs(),
                config.groupInitialRebalanceDelayMs(), 300_000, config.offsetsRetentionMs(),
                config.offsetsRetentionCheckIntervalMs(), config.offsetMetadataMaxBytes(),
                config.offsetsTopicSegmentBytes());
    }

    public GroupConfig withInitialRebalanceDelayMs(int ms) {
        return new GroupConfig(minSessionTimeoutMs, maxSessionTimeoutMs, ms, newMemberJoinTimeoutMs,
                offsetsRetentionMs, retentionCheckIntervalMs, offsetMetadataMaxBytes, offsetsTopicSegmentBytes);
    }
}

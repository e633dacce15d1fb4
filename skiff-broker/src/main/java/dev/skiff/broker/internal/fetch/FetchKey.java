package dev.skiff.broker.internal.fetch;

import java.util.UUID;

/**
 * Names one partition of a fetch session. Fetch v13+ names topics by id only, older versions by name only,
 * and a session keeps the naming of the request that created it, so exactly one of {@code topic} and
 * {@code topicId} is set: the other is null.
 *
 * @param topic     topic name (sessions of Fetch v7-12), else null
 * @param topicId   topic id (sessions of Fetch v13+), else null
 * @param partition partition index
 */
public record FetchKey(String topic, UUID topicId, int partition) {
    /** A partition named the way {@code usesTopicIds} says: by id (v13+) or by name. */
    public static FetchKey of(boolean usesTopicIds, String topic, UUID topicId, int partition) {
        return usesTopicIds ? new FetchKey(null, topicId, partition) : new FetchKey(topic, null, partition);
    }

    /** Whether {@code other} is a partition of the same topic (used to group a response by topic). */
    public boolean sameTopic(FetchKey other) {
        return other != null && java.util.Objects.equals(topic, other.topic)
                && java.util.Objects.equals(topicId, other.topicId);
    }
}

package dev.skiff.client.internal;

import dev.skiff.protocol.Errors;

import java.util.UUID;

/**
 * What the last metadata answer said about one topic: its error (NONE when it exists), its id and
 * each partition's leader (-1 when it has none right now). Immutable.
 */
public final class TopicInfo {
    private final String name;
    private final UUID topicId;
    private final Errors error;
    private final int[] leaders;

    public TopicInfo(String name, UUID topicId, Errors error, int[] leaders) {
        this.name = name;
        this.topicId = topicId;
        this.error = error;
        this.leaders = leaders;
    }

    public String name() {
        return name;
    }

    /** The topic id, or the zero UUID when the broker did not give one (Metadata before v10). */
    public UUID topicId() {
        return topicId;
    }

    public Errors error() {
        return error;
    }

    /** Partition count; 0 when the topic is in error. */
    public int partitionCount() {
        return leaders.length;
    }

    /** The leader's node id, or -1. */
    public int leader(int partition) {
        return partition >= 0 && partition < leaders.length ? leaders[partition] : -1;
    }
}

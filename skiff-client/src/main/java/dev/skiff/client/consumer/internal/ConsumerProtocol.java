package dev.skiff.client.consumer.internal;

import dev.skiff.client.TopicPartition;
import dev.skiff.protocol.ByteBufferAccessor;
import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.Message;
import dev.skiff.protocol.message.ConsumerProtocolAssignmentData;
import dev.skiff.protocol.message.ConsumerProtocolSubscriptionData;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kafka's "consumer" protocol type: the subscription a member sends in JoinGroup and the assignment the
 * leader hands out in SyncGroup. Both are opaque bytes to the coordinator; every consumer in a group (Skiff's
 * or kafka-clients') must read what the others wrote.
 *
 * <pre>
 * Subscription                                   Assignment
 * +-----------------+                             +-----------------+
 * | version  int16  |  0 written, 0..n read      | version  int16  |
 * +-----------------+                             +-----------------+
 * | topics  [string]|                             | [topic string,  |
 * | userData bytes  |                             |  partitions     |
 * | (v1+ owned      |                             |  [int32]]       |
 * |  partitions,    |                             | userData bytes  |
 * |  v2+ generation,|                             +-----------------+
 * |  v3+ rack)      |
 * +-----------------+
 * </pre>
 *
 * We write version 0, which every Kafka client reads. A newer version is read with the newest schema we
 * know: later versions only append fields, so the prefix parses.
 */
public final class ConsumerProtocol {
    /** The JoinGroup protocol type of consumers. */
    public static final String PROTOCOL_TYPE = "consumer";
    private static final short WRITE_VERSION = 0;

    private ConsumerProtocol() {
    }

    /** A subscription to {@code topics}. */
    public static byte[] subscription(List<String> topics) {
        return write(new ConsumerProtocolSubscriptionData().setTopics(new ArrayList<>(topics)).setUserData(null));
    }

    /**
     * The topics of a member's subscription.
     *
     * @throws DecodeException when the bytes are not a subscription
     */
    public static List<String> subscriptionTopics(byte[] metadata) {
        final ConsumerProtocolSubscriptionData data = new ConsumerProtocolSubscriptionData();
        read(data, metadata, ConsumerProtocolSubscriptionData.HIGHEST_SUPPORTED_VERSION);
        return data.topics() == null ? List.of() : List.copyOf(data.topics());
    }

    /** An assignment of these partitions (topic to partition indexes). */
    public static byte[] assignment(Map<String, List<Integer>> partitions) {
        final List<ConsumerProtocolAssignmentData.TopicPartition> list = new ArrayList<>();
        partitions.forEach((topic, ps) -> list.add(new ConsumerProtocolAssignmentData.TopicPartition()
                .setTopic(topic).setPartitions(new ArrayList<>(ps))));
        return write(new ConsumerProtocolAssignmentData().setAssignedPartitions(list).setUserData(null));
    }

    /**
     * The partitions of an assignment; an empty array (a member the leader gave nothing) is no partitions.
     *
     * @throws DecodeException when the bytes are not an assignment
     */
    public static List<TopicPartition> assignedPartitions(byte[] assignment) {
        if (assignment == null || assignment.length == 0) {
            return List.of();
        }
        final ConsumerProtocolAssignmentData data = new ConsumerProtocolAssignmentData();
        read(data, assignment, ConsumerProtocolAssignmentData.HIGHEST_SUPPORTED_VERSION);
        final List<TopicPartition> out = new ArrayList<>();
        for (ConsumerProtocolAssignmentData.TopicPartition t : data.assignedPartitions()) {
            for (int p : t.partitions()) {
                if (p < 0) {
                    throw new DecodeException("Assignment names partition " + p + " of topic " + t.topic());
                }
                out.add(new TopicPartition(t.topic(), p));
            }
        }
        return out;
    }

    private static byte[] write(Message data) {
        final ByteBuffer buf = ByteBuffer.allocate(2 + data.size(WRITE_VERSION));
        buf.putShort(WRITE_VERSION);
        data.write(new ByteBufferAccessor(buf), WRITE_VERSION);
        return buf.array();
    }

    private static void read(Message data, byte[] bytes, short highest) {
        if (bytes == null || bytes.length < 2) {
            throw new DecodeException("Consumer protocol data of " + (bytes == null ? 0 : bytes.length)
                    + " bytes is too short for its version");
        }
        final ByteBuffer buf = ByteBuffer.wrap(bytes);
        final short version = buf.getShort();
        if (version < 0) {
            throw new DecodeException("Consumer protocol data has negative version " + version);
        }
        data.read(new ByteBufferAccessor(buf), (short) Math.min(version, highest));
    }
}

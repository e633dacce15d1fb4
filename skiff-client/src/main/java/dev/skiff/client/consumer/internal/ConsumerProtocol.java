package dev.skiff.client.consumer.internal;

import dev.skiff.client.TopicPartition;
import dev.skiff.protocol.ByteBufferAccessor;
import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.Message;
import dev.skiff.protocol.message.ConsumerProtocolAssignmentData;
import dev.skiff.protocol.message.ConsumerProtocolSubscriptionData;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kafka's "consumer" protocol type: the subscription a member sends in JoinGroup and the assignment the
 * leader hands out in SyncGroup. Both are opaque bytes to the coordinator; every consumer in a group (Skiff's
 * or kafka-clients') must read what the others wrote.
 *
 * <pre>
 * Subscription (v3 written)                      Assignment (v0 written)
 * +--------------------------------+             +-----------------+
 * | version          int16         |             | version  int16  |
 * +--------------------------------+             +-----------------+
 * | topics           [string]      |             | [topic string,  |
 * | userData         bytes|null    |  (a)        |  partitions     |
 * | ownedPartitions  [topic string,|  v1+        |  [int32]]       |
 * |                   partitions   |             | userData bytes  |
 * |                   [int32]]     |             +-----------------+
 * | generationId     int32         |  v2+, -1 = none
 * | rackId           string|null   |  v3+
 * +--------------------------------+
 * (a) cooperative-sticky also puts the generation in userData (int32), for leaders that read v0 only.
 * </pre>
 *
 * We write subscription version 3, as kafka-clients 4.x does: a sticky leader needs each member's owned
 * partitions and the generation they come from. A newer version is read with the newest schema we know:
 * later versions only append fields, so the prefix parses.
 */
public final class ConsumerProtocol {
    /** The JoinGroup protocol type of consumers. */
    public static final String PROTOCOL_TYPE = "consumer";
    private static final short SUBSCRIPTION_VERSION = 3;
    private static final short ASSIGNMENT_VERSION = 0;

    /**
     * A member's subscription as the leader reads it.
     *
     * @param topics          the subscribed topics
     * @param ownedPartitions the partitions the member owns now (empty for eager members, which revoke all
     *                        before joining)
     * @param generationId    the generation those partitions come from; -1 when unknown
     */
    public record Subscription(List<String> topics, List<TopicPartition> ownedPartitions, int generationId) {
        public Subscription {
            topics = List.copyOf(topics);
            ownedPartitions = List.copyOf(ownedPartitions);
        }

        /** A subscription without owned partitions or generation (as version 0 carries). */
        public static Subscription of(List<String> topics) {
            return new Subscription(topics, List.of(), -1);
        }
    }

    private ConsumerProtocol() {
    }

    /** A subscription to {@code topics} owning nothing. */
    public static byte[] subscription(List<String> topics) {
        return subscription(topics, List.of(), -1, false);
    }

    /**
     * A subscription to {@code topics}, reporting {@code owned} partitions from generation {@code generationId}.
     *
     * @param generationInUserData also write the generation as userData (what kafka-clients' cooperative-sticky
     *                             assignor does, for leaders that only read version 0)
     */
    public static byte[] subscription(List<String> topics, Collection<TopicPartition> owned, int generationId,
                                      boolean generationInUserData) {
        final ByteBuffer userData = generationInUserData
                ? (ByteBuffer) ByteBuffer.allocate(4).putInt(generationId).flip() : null;
        return write(new ConsumerProtocolSubscriptionData()
                .setTopics(new ArrayList<>(topics))
                .setUserData(userData)
                .setOwnedPartitions(ownedByTopic(owned))
                .setGenerationId(generationId)
                .setRackId(null), SUBSCRIPTION_VERSION);
    }

    private static List<ConsumerProtocolSubscriptionData.TopicPartition> ownedByTopic(
            Collection<TopicPartition> owned) {
        final Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : owned) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        final List<ConsumerProtocolSubscriptionData.TopicPartition> out = new ArrayList<>();
        byTopic.forEach((topic, ps) -> {
            ps.sort(null);
            out.add(new ConsumerProtocolSubscriptionData.TopicPartition().setTopic(topic).setPartitions(ps));
        });
        return out;
    }

    /**
     * The topics of a member's subscription.
     *
     * @throws DecodeException when the bytes are not a subscription
     */
    public static List<String> subscriptionTopics(byte[] metadata) {
        return readSubscription(metadata).topics();
    }

    /**
     * A member's whole subscription. The generation comes from the generationId field (v2+) and, when that is
     * absent, from a 4-byte userData, as a cooperative-sticky member of an older client writes it.
     *
     * @throws DecodeException when the bytes are not a subscription
     */
    public static Subscription readSubscription(byte[] metadata) {
        final ConsumerProtocolSubscriptionData data = new ConsumerProtocolSubscriptionData();
        read(data, metadata, ConsumerProtocolSubscriptionData.HIGHEST_SUPPORTED_VERSION);
        final List<TopicPartition> owned = new ArrayList<>();
        for (ConsumerProtocolSubscriptionData.TopicPartition t : data.ownedPartitions()) {
            if (t.topic() == null) {
                throw new DecodeException("Subscription names owned partitions of a null topic");
            }
            for (int p : t.partitions()) {
                if (p < 0) {
                    throw new DecodeException("Subscription owns partition " + p + " of topic " + t.topic());
                }
                owned.add(new TopicPartition(t.topic(), p));
            }
        }
        int generation = data.generationId();
        final ByteBuffer userData = data.userData();
        if (generation < 0 && userData != null && userData.remaining() >= 4) {
            generation = userData.getInt(userData.position());
        }
        final List<String> topics = new ArrayList<>();
        if (data.topics() != null) {
            for (String t : data.topics()) {
                if (t == null) {
                    throw new DecodeException("Subscription names a null topic");
                }
                topics.add(t);
            }
        }
        return new Subscription(topics, owned, generation < 0 ? -1 : generation);
    }

    /** An assignment of these partitions (topic to partition indexes). */
    public static byte[] assignment(Map<String, List<Integer>> partitions) {
        final List<ConsumerProtocolAssignmentData.TopicPartition> list = new ArrayList<>();
        partitions.forEach((topic, ps) -> list.add(new ConsumerProtocolAssignmentData.TopicPartition()
                .setTopic(topic).setPartitions(new ArrayList<>(ps))));
        return write(new ConsumerProtocolAssignmentData().setAssignedPartitions(list).setUserData(null),
                ASSIGNMENT_VERSION);
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

    private static byte[] write(Message data, short version) {
        final ByteBuffer buf = ByteBuffer.allocate(2 + data.size(version));
        buf.putShort(version);
        data.write(new ByteBufferAccessor(buf), version);
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

package dev.skiff.broker.internal.group;

import dev.skiff.protocol.DecodeException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Keys and values of the records in the coordinator's internal log ({@code __consumer_offsets-0}).
 *
 * <p>Design note: the log is a key/value changelog, replayed at start-up with the latest value per key
 * winning and a null value (tombstone) deleting the key, exactly like Kafka's compacted
 * {@code __consumer_offsets}. The formats are Skiff's own (Kafka's are not a public contract); each
 * starts with a version so they can evolve. All integers are big-endian; a string is an int16 byte length
 * (-1 for null) and UTF-8 bytes; bytes are an int32 length and the bytes.
 *
 * <pre>
 * offset key                          group key (classic)           consumer group key (KIP-848)
 * +-----------------------+           +-----------------------+     +-----------------------+
 * | type int16 = 1        |           | type int16 = 2        |     | type int16 = 3        |
 * | group string          |           | group string          |     | group string          |
 * | topic string          |           +-----------------------+     +-----------------------+
 * | partition int32       |
 * +-----------------------+
 *
 * offset value (version 0)            group value (version 0)
 * +-----------------------+           +---------------------------+
 * | version int16 = 0     |           | version int16 = 0         |
 * | offset int64          |           | protocolType string|null  |
 * | leaderEpoch int32     |           | generation int32          |
 * | metadata string|null  |           | protocolName string|null  |
 * | commitTimestamp int64 |           | leader string|null        |
 * +-----------------------+           | stateTimestamp int64      |
 *                                     | memberCount int32         |
 *                                     | per member:               |
 *                                     |   memberId string         |
 *                                     |   instanceId string|null  |
 *                                     |   clientId string         |
 *                                     |   clientHost string       |
 *                                     |   rebalanceTimeout int32  |
 *                                     |   sessionTimeout int32    |
 *                                     |   subscription bytes      |
 *                                     |   assignment bytes        |
 *                                     +---------------------------+
 *
 * consumer group value (version 0)            partitions (an assignment)
 * +-----------------------------------+      +--------------------------------+
 * | version int16 = 0                 |      | topicCount int32               |
 * | groupEpoch int32                  |      | per topic:                     |
 * | assignmentEpoch int32             |      |   topicId int64 msb, int64 lsb |
 * | assignor string|null              |      |   partitionCount int32         |
 * | topicCount int32                  |      |   partition int32 ...          |
 * | per subscribed topic (as the      |      +--------------------------------+
 * | target was computed from):        |
 * |   name string                     |
 * |   topicId int64 msb, int64 lsb    |
 * |   partitions int32                |
 * | memberCount int32                 |
 * | per member:                       |
 * |   memberId string                 |
 * |   instanceId string|null          |
 * |   rackId string|null              |
 * |   clientId string|null            |
 * |   clientHost string|null          |
 * |   serverAssignor string|null      |
 * |   rebalanceTimeout int32          |
 * |   memberEpoch int32               |
 * |   previousMemberEpoch int32       |
 * |   state int8 (*)                  |
 * |   subscribedTopicCount int32      |
 * |   subscribedTopic string ...      |
 * |   assigned partitions             |
 * |   pendingRevocation partitions    |
 * |   target partitions               |
 * +-----------------------------------+
 * (*) 0 STABLE, 1 UNREVOKED_PARTITIONS, 2 UNRELEASED_PARTITIONS
 * </pre>
 * A consumer group is one value holding its whole state, rewritten when that state changes (a join, a
 * leave, an expiry, a new epoch or target, a member's reconciliation step), not on heartbeats that change
 * nothing. Session and revocation deadlines are not stored: a restored member gets fresh ones. A group
 * id's classic and consumer keys never both hold a value: converting a group writes a tombstone for the
 * other key first. Brokers that predate key type 3 skip it as an unreadable record and lose only the
 * consumer groups' membership, not offsets; logs written before it replay unchanged.
 *
 * Integrity comes from the record batch CRC-32C; a record that does not decode raises
 * {@link DecodeException}.
 */
final class GroupRecords {
    static final short OFFSET_KEY = 1;
    static final short GROUP_KEY = 2;
    static final short CONSUMER_GROUP_KEY = 3;
    private static final short VALUE_VERSION = 0;

    private GroupRecords() {
    }

    /** A decoded key: {@code topic} is null for a group or consumer group key. */
    record Key(short type, String group, String topic, int partition) {
    }

    /** A persisted member of a group (the selected protocol's subscription only). */
    record StoredMember(String memberId, String instanceId, String clientId, String clientHost,
                        int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {
    }

    /** A persisted group. */
    record StoredGroup(String protocolType, int generation, String protocolName, String leader,
                       long stateTimestamp, List<StoredMember> members) {
    }

    /** A persisted KIP-848 member; the assignments are topic id to sorted partitions. */
    record StoredConsumerMember(String memberId, String instanceId, String rackId, String clientId,
                                String clientHost, String serverAssignor, int rebalanceTimeoutMs, int memberEpoch,
                                int previousMemberEpoch, ConsumerGroupMember.State state,
                                List<String> subscribedTopicNames, Map<UUID, Set<Integer>> assigned,
                                Map<UUID, Set<Integer>> pendingRevocation, Map<UUID, Set<Integer>> target) {
    }

    /** A persisted KIP-848 consumer group; {@code subscribedTopics} is keyed by topic name. */
    record StoredConsumerGroup(int groupEpoch, int assignmentEpoch, String assignorName,
                               Map<String, ServerAssignor.Topic> subscribedTopics,
                               List<StoredConsumerMember> members) {
    }

    static ByteBuffer offsetKey(String group, String topic, int partition) {
        final ByteBuffer b = ByteBuffer.allocate(2 + sizeOf(group) + sizeOf(topic) + 4);
        b.putShort(OFFSET_KEY);
        putString(b, group);
        putString(b, topic);
        b.putInt(partition);
        return b.flip();
    }

    static ByteBuffer groupKey(String group) {
        final ByteBuffer b = ByteBuffer.allocate(2 + sizeOf(group));
        b.putShort(GROUP_KEY);
        putString(b, group);
        return b.flip();
    }

    static ByteBuffer consumerGroupKey(String group) {
        final ByteBuffer b = ByteBuffer.allocate(2 + sizeOf(group));
        b.putShort(CONSUMER_GROUP_KEY);
        putString(b, group);
        return b.flip();
    }

    static ByteBuffer offsetValue(CommittedOffset o) {
        final ByteBuffer b = ByteBuffer.allocate(2 + 8 + 4 + sizeOf(o.metadata()) + 8);
        b.putShort(VALUE_VERSION);
        b.putLong(o.offset());
        b.putInt(o.leaderEpoch());
        putString(b, o.metadata());
        b.putLong(o.commitTimestampMs());
        return b.flip();
    }

    static ByteBuffer groupValue(StoredGroup g) {
        int size = 2 + sizeOf(g.protocolType()) + 4 + sizeOf(g.protocolName()) + sizeOf(g.leader()) + 8 + 4;
        for (StoredMember m : g.members()) {
            size += sizeOf(m.memberId()) + sizeOf(m.instanceId()) + sizeOf(m.clientId()) + sizeOf(m.clientHost())
                    + 8 + 4 + m.subscription().length + 4 + m.assignment().length;
        }
        final ByteBuffer b = ByteBuffer.allocate(size);
        b.putShort(VALUE_VERSION);
        putString(b, g.protocolType());
        b.putInt(g.generation());
        putString(b, g.protocolName());
        putString(b, g.leader());
        b.putLong(g.stateTimestamp());
        b.putInt(g.members().size());
        for (StoredMember m : g.members()) {
            putString(b, m.memberId());
            putString(b, m.instanceId());
            putString(b, m.clientId());
            putString(b, m.clientHost());
            b.putInt(m.rebalanceTimeoutMs());
            b.putInt(m.sessionTimeoutMs());
            b.putInt(m.subscription().length).put(m.subscription());
            b.putInt(m.assignment().length).put(m.assignment());
        }
        return b.flip();
    }

    static Key readKey(ByteBuffer key) {
        try {
            final ByteBuffer b = key.duplicate();
            final short type = b.getShort();
            if (type == OFFSET_KEY) {
                return new Key(type, getString(b), getString(b), b.getInt());
            }
            if (type == GROUP_KEY || type == CONSUMER_GROUP_KEY) {
                return new Key(type, getString(b), null, -1);
            }
            throw new DecodeException("unknown group log key type " + type);
        } catch (BufferUnderflowException e) {
            throw new DecodeException("truncated group log key", e);
        }
    }

    static CommittedOffset readOffsetValue(ByteBuffer value) {
        try {
            final ByteBuffer b = value.duplicate();
            checkVersion(b.getShort());
            return new CommittedOffset(b.getLong(), b.getInt(), getString(b), b.getLong());
        } catch (BufferUnderflowException e) {
            throw new DecodeException("truncated offset value", e);
        }
    }

    static StoredGroup readGroupValue(ByteBuffer value) {
        try {
            final ByteBuffer b = value.duplicate();
            checkVersion(b.getShort());
            final String protocolType = getString(b);
            final int generation = b.getInt();
            final String protocolName = getString(b);
            final String leader = getString(b);
            final long stateTimestamp = b.getLong();
            final int count = b.getInt();
            if (count < 0 || count > b.remaining()) {
                throw new DecodeException("invalid member count " + count);
            }
            final List<StoredMember> members = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                members.add(new StoredMember(getString(b), getString(b), getString(b), getString(b), b.getInt(),
                        b.getInt(), getBytes(b), getBytes(b)));
            }
            return new StoredGroup(protocolType, generation, protocolName, leader, stateTimestamp, members);
        } catch (BufferUnderflowException e) {
            throw new DecodeException("truncated group value", e);
        }
    }

    static ByteBuffer consumerGroupValue(StoredConsumerGroup g) {
        int size = 2 + 4 + 4 + sizeOf(g.assignorName()) + 4;
        for (ServerAssignor.Topic t : g.subscribedTopics().values()) {
            size += sizeOf(t.name()) + 16 + 4;
        }
        size += 4;
        for (StoredConsumerMember m : g.members()) {
            size += sizeOf(m.memberId()) + sizeOf(m.instanceId()) + sizeOf(m.rackId()) + sizeOf(m.clientId())
                    + sizeOf(m.clientHost()) + sizeOf(m.serverAssignor()) + 4 + 4 + 4 + 1 + 4
                    + sizeOf(m.assigned()) + sizeOf(m.pendingRevocation()) + sizeOf(m.target());
            for (String topic : m.subscribedTopicNames()) {
                size += sizeOf(topic);
            }
        }
        final ByteBuffer b = ByteBuffer.allocate(size);
        b.putShort(VALUE_VERSION);
        b.putInt(g.groupEpoch());
        b.putInt(g.assignmentEpoch());
        putString(b, g.assignorName());
        b.putInt(g.subscribedTopics().size());
        for (ServerAssignor.Topic t : g.subscribedTopics().values()) {
            putString(b, t.name());
            putUuid(b, t.id());
            b.putInt(t.partitions());
        }
        b.putInt(g.members().size());
        for (StoredConsumerMember m : g.members()) {
            putString(b, m.memberId());
            putString(b, m.instanceId());
            putString(b, m.rackId());
            putString(b, m.clientId());
            putString(b, m.clientHost());
            putString(b, m.serverAssignor());
            b.putInt(m.rebalanceTimeoutMs());
            b.putInt(m.memberEpoch());
            b.putInt(m.previousMemberEpoch());
            b.put((byte) m.state().ordinal());
            b.putInt(m.subscribedTopicNames().size());
            for (String topic : m.subscribedTopicNames()) {
                putString(b, topic);
            }
            putPartitions(b, m.assigned());
            putPartitions(b, m.pendingRevocation());
            putPartitions(b, m.target());
        }
        return b.flip();
    }

    static StoredConsumerGroup readConsumerGroupValue(ByteBuffer value) {
        try {
            final ByteBuffer b = value.duplicate();
            checkVersion(b.getShort());
            final int groupEpoch = b.getInt();
            final int assignmentEpoch = b.getInt();
            final String assignor = getString(b);
            final int topicCount = count(b, 2 + 16 + 4);
            final Map<String, ServerAssignor.Topic> topics = new LinkedHashMap<>();
            for (int i = 0; i < topicCount; i++) {
                final String name = getString(b);
                topics.put(name, new ServerAssignor.Topic(getUuid(b), name, b.getInt()));
            }
            final int memberCount = count(b, 6 * 2 + 4 * 3 + 1 + 4 + 3 * 4);
            final List<StoredConsumerMember> members = new ArrayList<>(memberCount);
            for (int i = 0; i < memberCount; i++) {
                final String memberId = getString(b);
                final String instanceId = getString(b);
                final String rackId = getString(b);
                final String clientId = getString(b);
                final String clientHost = getString(b);
                final String serverAssignor = getString(b);
                final int rebalanceTimeoutMs = b.getInt();
                final int memberEpoch = b.getInt();
                final int previousMemberEpoch = b.getInt();
                final ConsumerGroupMember.State state = memberState(b.get());
                final int subscribedCount = count(b, 2);
                final List<String> subscribed = new ArrayList<>(subscribedCount);
                for (int t = 0; t < subscribedCount; t++) {
                    subscribed.add(getString(b));
                }
                members.add(new StoredConsumerMember(memberId, instanceId, rackId, clientId, clientHost,
                        serverAssignor, rebalanceTimeoutMs, memberEpoch, previousMemberEpoch, state,
                        List.copyOf(subscribed), getPartitions(b), getPartitions(b), getPartitions(b)));
            }
            return new StoredConsumerGroup(groupEpoch, assignmentEpoch, assignor, topics, members);
        } catch (BufferUnderflowException e) {
            throw new DecodeException("truncated consumer group value", e);
        }
    }

    private static ConsumerGroupMember.State memberState(byte ordinal) {
        final ConsumerGroupMember.State[] states = ConsumerGroupMember.State.values();
        if (ordinal < 0 || ordinal >= states.length) {
            throw new DecodeException("unknown consumer group member state " + ordinal);
        }
        return states[ordinal];
    }

    /** Reads a count and checks it against what is left, each item taking at least {@code minItemBytes}. */
    private static int count(ByteBuffer b, int minItemBytes) {
        final int count = b.getInt();
        if (count < 0 || count > b.remaining() / minItemBytes) {
            throw new DecodeException("invalid count " + count);
        }
        return count;
    }

    private static int sizeOf(Map<UUID, Set<Integer>> partitions) {
        int size = 4;
        for (Set<Integer> p : partitions.values()) {
            size += 16 + 4 + 4 * p.size();
        }
        return size;
    }

    private static void putPartitions(ByteBuffer b, Map<UUID, Set<Integer>> partitions) {
        b.putInt(partitions.size());
        partitions.forEach((topic, ps) -> {
            putUuid(b, topic);
            b.putInt(ps.size());
            for (int p : ps) {
                b.putInt(p);
            }
        });
    }

    private static Map<UUID, Set<Integer>> getPartitions(ByteBuffer b) {
        final int topics = count(b, 16 + 4);
        final Map<UUID, Set<Integer>> result = new TreeMap<>();
        for (int i = 0; i < topics; i++) {
            final UUID topic = getUuid(b);
            final int n = count(b, 4);
            final Set<Integer> partitions = new TreeSet<>();
            for (int p = 0; p < n; p++) {
                partitions.add(b.getInt());
            }
            if (!partitions.isEmpty()) {
                result.put(topic, partitions);
            }
        }
        return result;
    }

    private static void putUuid(ByteBuffer b, UUID id) {
        b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    }

    private static UUID getUuid(ByteBuffer b) {
        return new UUID(b.getLong(), b.getLong());
    }

    private static void checkVersion(short version) {
        if (version != VALUE_VERSION) {
            throw new DecodeException("unknown group log value version " + version);
        }
    }

    private static int sizeOf(String s) {
        return 2 + (s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length);
    }

    private static void putString(ByteBuffer b, String s) {
        if (s == null) {
            b.putShort((short) -1);
            return;
        }
        final byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer b) {
        final short length = b.getShort();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > b.remaining()) {
            throw new DecodeException("invalid string length " + length);
        }
        final byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] getBytes(ByteBuffer b) {
        final int length = b.getInt();
        if (length < 0 || length > b.remaining()) {
            throw new DecodeException("invalid bytes length " + length);
        }
        final byte[] bytes = new byte[length];
        b.get(bytes);
        return bytes;
    }
}

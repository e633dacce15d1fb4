package dev.skiff.broker.internal.group;

import dev.skiff.protocol.DecodeException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
 * offset key                          group key
 * +-----------------------+           +-----------------------+
 * | type int16 = 1        |           | type int16 = 2        |
 * | group string          |           | group string          |
 * | topic string          |           +-----------------------+
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
 * </pre>
 * Integrity comes from the record batch CRC-32C; a record that does not decode raises
 * {@link DecodeException}.
 */
final class GroupRecords {
    static final short OFFSET_KEY = 1;
    static final short GROUP_KEY = 2;
    private static final short VALUE_VERSION = 0;

    private GroupRecords() {
    }

    /** A decoded key: {@code topic} is null for a group key. */
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
            if (type == GROUP_KEY) {
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

package dev.skiff.broker.internal.group;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the topic list from a consumer's JoinGroup metadata (Kafka's ConsumerProtocolSubscription, protocol
 * type "consumer"), which OffsetDelete needs to refuse deleting offsets of topics a live group consumes.
 *
 * <pre>
 * +------------------+-------------------+---------------------------------------+---------------+
 * | version int16    | topic count int32 | per topic: length int16, UTF-8 bytes  | userData, ... |
 * +------------------+-------------------+---------------------------------------+---------------+
 * </pre>
 * Only the prefix shown is read; everything after the topics is ignored, so every version parses. The
 * metadata comes from clients: anything malformed yields an empty list rather than an exception.
 */
final class ConsumerSubscription {
    private ConsumerSubscription() {
    }

    static List<String> topics(byte[] metadata) {
        final List<String> topics = new ArrayList<>();
        final ByteBuffer b = ByteBuffer.wrap(metadata);
        if (b.remaining() < 6) {
            return topics;
        }
        b.getShort();
        final int count = b.getInt();
        if (count < 0 || count > b.remaining() / 2) {
            return topics;
        }
        for (int i = 0; i < count; i++) {
            if (b.remaining() < 2) {
                return List.of();
            }
            final int length = b.getShort();
            if (length < 0 || length > b.remaining()) {
                return List.of();
            }
            final byte[] name = new byte[length];
            b.get(name);
            topics.add(new String(name, StandardCharsets.UTF_8));
        }
        return topics;
    }
}

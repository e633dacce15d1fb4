package dev.skiff.client.serde;

import java.nio.ByteBuffer;

/**
 * The remaining bytes of a buffer (position..limit), as Kafka 4's ByteBufferSerializer does. The
 * buffer's position is not moved.
 */
public final class ByteBufferSerializer implements Serializer<ByteBuffer> {
    @Override
    public byte[] serialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray() && data.arrayOffset() == 0 && data.position() == 0
                && data.remaining() == data.array().length) {
            return data.array();
        }
        final byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }
}

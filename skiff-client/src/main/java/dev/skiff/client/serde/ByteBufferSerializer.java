package dev.skiff.client.serde;

import java.nio.ByteBuffer;

/**
 * The bytes of a buffer from 0 to its limit, whatever its position, which is what Kafka 4's
 * ByteBufferSerializer sends (it rewinds first). Unlike Kafka's, the caller's buffer is left as it was.
 */
public final class ByteBufferSerializer implements Serializer<ByteBuffer> {
    @Override
    public byte[] serialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray() && data.arrayOffset() == 0 && data.limit() == data.array().length) {
            return data.array();
        }
        final byte[] bytes = new byte[data.limit()];
        data.get(0, bytes);
        return bytes;
    }
}

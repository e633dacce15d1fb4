package dev.skiff.protocol;

import java.nio.ByteBuffer;

/** Whole-message conveniences over {@link Message#size}, {@link Message#write} and {@link Message#read}. */
public final class MessageCodec {
    private MessageCodec() {
    }

    /**
     * Encodes {@code message} in {@code version} into a new buffer of exactly its size, positioned at 0.
     *
     * @throws IllegalStateException if the message wrote a different number of bytes than it sized
     */
    public static ByteBuffer toByteBuffer(Message message, short version) {
        final int size = message.size(version);
        final ByteBuffer buf = ByteBuffer.allocate(size);
        message.write(new ByteBufferAccessor(buf), version);
        if (buf.hasRemaining()) {
            throw new IllegalStateException(message.getClass().getSimpleName() + " v" + version + " sized "
                + size + " bytes but wrote " + buf.position());
        }
        return buf.flip();
    }

    /** {@link #toByteBuffer} as an array. */
    public static byte[] toBytes(Message message, short version) {
        return toByteBuffer(message, version).array();
    }

    /**
     * Reads {@code message} in {@code version} from {@code buf}'s position (which advances past it); zero-copy
     * fields keep slices of {@code buf}.
     *
     * @return {@code message}, for chaining
     */
    public static <T extends Message> T read(T message, ByteBuffer buf, short version) {
        message.read(new ByteBufferAccessor(buf), version);
        return message;
    }
}

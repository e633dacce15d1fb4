package dev.skiff.cli.internal;

import dev.skiff.client.serde.Headers;
import dev.skiff.client.serde.Serializer;

/**
 * Wraps a serializer and adds every array it produces to a {@link Checksum}, so the demo knows the exact
 * bytes it sent without serializing twice. The producer serializes on the sending thread, so one thread
 * adds (see {@link Checksum}).
 *
 * @param <T> the type serialized
 */
public final class ChecksummingSerializer<T> implements Serializer<T> {
    private final Serializer<T> inner;
    private final Checksum checksum;

    public ChecksummingSerializer(Serializer<T> inner, Checksum checksum) {
        this.inner = inner;
        this.checksum = checksum;
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        final byte[] bytes = inner.serialize(topic, headers, data);
        checksum.add(bytes);
        return bytes;
    }
}

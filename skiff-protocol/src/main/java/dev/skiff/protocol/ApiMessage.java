package dev.skiff.protocol;

/**
 * A top-level protocol message: a request or response body, a request or response header, or a data
 * message (one generated class per Kafka spec file).
 *
 * <p>Decoding a request body goes: read the size prefix, read {@code RequestHeaderData} in the header
 * version {@code ApiKeys.requestHeaderVersion} gives, then {@code ApiKeys.newRequest().read(in, version)}.
 */
public interface ApiMessage extends Message {
    /** The API key, or -1 for headers and data messages. */
    short apiKey();

    @Override
    short lowestSupportedVersion();

    @Override
    short highestSupportedVersion();

    /**
     * Replaces this message's content with the encoding of {@code version} read from {@code in}.
     *
     * @throws DecodeException on malformed or truncated input
     */
    @Override
    void read(Readable in, short version);

    @Override
    void write(Writable out, short version);

    /** The exact encoded size in {@code version}. */
    @Override
    int size(short version);
}

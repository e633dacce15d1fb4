package dev.skiff.protocol;

import java.util.List;

/**
 * A struct of the Kafka protocol that can read and write itself in any version it supports.
 *
 * <p>Generated classes implement this for every nested struct; top-level messages implement
 * {@link ApiMessage}. An instance holds the union of all versions' fields: reading a version resets the
 * fields that version lacks to their defaults, and writing a version omits them.
 */
public interface Message {
    /** The lowest version this struct can be read or written in. */
    short lowestSupportedVersion();

    /** The highest version this struct can be read or written in. */
    short highestSupportedVersion();

    /**
     * Replaces this struct's content with the encoding of {@code version} read from {@code in}.
     *
     * @throws DecodeException if the input is truncated or malformed
     * @throws UnsupportedVersionException if {@code version} is outside the supported range
     */
    void read(Readable in, short version);

    /**
     * Writes this struct in {@code version}; exactly {@link #size(short)} bytes.
     *
     * @throws UnsupportedVersionException if the version is unsupported, or a field this version lacks
     *     holds a non-default value that may not be dropped
     */
    void write(Writable out, short version);

    /** The exact number of bytes {@link #write} produces for {@code version}. */
    int size(short version);

    /** Tagged fields read that this code does not know; written back unchanged, in tag order. */
    List<RawTaggedField> unknownTaggedFields();
}

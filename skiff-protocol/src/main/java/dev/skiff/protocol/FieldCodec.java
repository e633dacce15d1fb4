package dev.skiff.protocol;

import dev.skiff.protocol.record.Records;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The encodings of variable-length fields and tagged-field sections, shared by all generated messages.
 *
 * <p>Each length-prefixed type has two forms. Classic versions use a fixed-width length (int16 for
 * strings, int32 for bytes, records and arrays) with -1 for null. Flexible ("compact") versions use an
 * unsigned varint holding length + 1, so 0 means null:
 *
 * <pre>
 *   classic string   +--------+----------------+      compact string  +---------------+----------------+
 *                    | int16 n| n bytes UTF-8  |                      | uvarint n + 1 | n bytes UTF-8  |
 *                    +--------+----------------+                      +---------------+----------------+
 *   classic bytes/array: int32 n, then n bytes or n elements; compact: uvarint n + 1, then the same.
 *
 *   tagged-field section (end of every struct in flexible versions), tags ascending:
 *   +------------------+-------------+--------------+---------+-----+
 *   | uvarint count    | uvarint tag | uvarint size | payload | ... |
 *   +------------------+-------------+--------------+---------+-----+
 * </pre>
 *
 * Readers accept exactly -1 as null (and only where the field is nullable in that version); any other
 * negative length, a string longer than 32767 bytes, or a length beyond the remaining input is a
 * {@link DecodeException}.
 */
public final class FieldCodec {
    /** Longest string the protocol carries, in UTF-8 bytes, in both string forms. */
    public static final int MAX_STRING_LENGTH = 0x7FFF;
    /** Cap on list pre-allocation, so a large claimed count costs nothing until elements really arrive. */
    private static final int MAX_PREALLOCATED_ELEMENTS = 1024;

    private FieldCodec() {
    }

    // ---------------------------------------------------------------- lengths

    private static int readLength(Readable in, boolean compact, boolean shortForm) {
        if (compact) {
            return in.readUnsignedVarint() - 1;
        }
        return shortForm ? in.readShort() : in.readInt();
    }

    /** True when {@code length} means null here; throws if it is negative but null is not allowed. */
    private static boolean isNull(int length, boolean nullable, String field) {
        if (length >= 0) {
            return false;
        }
        if (length == -1) {
            if (nullable) {
                return true;
            }
            throw new DecodeException("non-nullable field " + field + " was serialized as null");
        }
        throw new DecodeException("field " + field + " has invalid length " + length);
    }

    private static void writeLength(Writable out, int length, boolean compact, boolean shortForm) {
        if (compact) {
            out.writeUnsignedVarint(length + 1);
        } else if (shortForm) {
            out.writeShort((short) length);
        } else {
            out.writeInt(length);
        }
    }

    private static int sizeOfLength(int length, boolean compact, boolean shortForm) {
        if (compact) {
            return Varints.sizeOfUnsignedVarint(length + 1);
        }
        return shortForm ? 2 : 4;
    }

    private static void checkNull(boolean nullable, String field) {
        if (!nullable) {
            throw new NullPointerException("field " + field + " is null, but it is not nullable in this version");
        }
    }

    // ---------------------------------------------------------------- strings

    public static String readString(Readable in, boolean compact, boolean nullable, String field) {
        final int length = readLength(in, compact, true);
        if (isNull(length, nullable, field)) {
            return null;
        }
        if (length > MAX_STRING_LENGTH) {
            throw new DecodeException("string field " + field + " has length " + length + ", over "
                + MAX_STRING_LENGTH);
        }
        return in.readString(length);
    }

    public static void writeString(Writable out, String value, boolean compact, boolean nullable, String field) {
        if (value == null) {
            checkNull(nullable, field);
            writeLength(out, -1, compact, true);
            return;
        }
        final int length = Utf8.encodedLength(value);
        if (length > MAX_STRING_LENGTH) {
            throw new IllegalArgumentException("string field " + field + " is " + length + " bytes in UTF-8, over "
                + MAX_STRING_LENGTH);
        }
        writeLength(out, length, compact, true);
        out.writeUtf8(value);
    }

    public static int sizeOfString(String value, boolean compact) {
        if (value == null) {
            return sizeOfLength(-1, compact, true);
        }
        final int length = Utf8.encodedLength(value);
        return sizeOfLength(length, compact, true) + length;
    }

    // ---------------------------------------------------------------- bytes

    public static byte[] readBytes(Readable in, boolean compact, boolean nullable, String field) {
        final int length = readLength(in, compact, false);
        return isNull(length, nullable, field) ? null : in.readArray(length);
    }

    public static void writeBytes(Writable out, byte[] value, boolean compact, boolean nullable, String field) {
        if (value == null) {
            checkNull(nullable, field);
            writeLength(out, -1, compact, false);
            return;
        }
        writeLength(out, value.length, compact, false);
        out.writeByteArray(value);
    }

    public static int sizeOfBytes(byte[] value, boolean compact) {
        return value == null ? sizeOfLength(-1, compact, false) : sizeOfLength(value.length, compact, false)
            + value.length;
    }

    /** A zero-copy bytes field: a slice of the input. */
    public static ByteBuffer readByteBuffer(Readable in, boolean compact, boolean nullable, String field) {
        final int length = readLength(in, compact, false);
        return isNull(length, nullable, field) ? null : in.readByteBuffer(length);
    }

    public static void writeByteBuffer(Writable out, ByteBuffer value, boolean compact, boolean nullable,
                                       String field) {
        if (value == null) {
            checkNull(nullable, field);
            writeLength(out, -1, compact, false);
            return;
        }
        writeLength(out, value.remaining(), compact, false);
        out.writeByteBuffer(value);
    }

    public static int sizeOfByteBuffer(ByteBuffer value, boolean compact) {
        return value == null ? sizeOfLength(-1, compact, false) : sizeOfLength(value.remaining(), compact, false)
            + value.remaining();
    }

    // ---------------------------------------------------------------- records

    /** Records as a slice of the input: not copied and not parsed here. */
    public static Records readRecords(Readable in, boolean compact, boolean nullable, String field) {
        final int length = readLength(in, compact, false);
        return isNull(length, nullable, field) ? null : in.readRecords(length);
    }

    public static void writeRecords(Writable out, Records value, boolean compact, boolean nullable, String field) {
        if (value == null) {
            checkNull(nullable, field);
            writeLength(out, -1, compact, false);
            return;
        }
        writeLength(out, value.sizeInBytes(), compact, false);
        out.writeRecords(value);
    }

    public static int sizeOfRecords(Records value, boolean compact) {
        if (value == null) {
            return sizeOfLength(-1, compact, false);
        }
        final int length = value.sizeInBytes();
        return sizeOfLength(length, compact, false) + length;
    }

    // ---------------------------------------------------------------- arrays

    /**
     * Reads an array's element count: -1 for null, else a count no larger than the remaining input (every
     * element takes at least a byte in every message Kafka defines).
     */
    public static int readArrayLength(Readable in, boolean compact, boolean nullable, String field) {
        final int length = readLength(in, compact, false);
        if (isNull(length, nullable, field)) {
            return -1;
        }
        if (length > in.remaining()) {
            throw new DecodeException("array field " + field + " claims " + length + " elements, but only "
                + in.remaining() + " bytes remain");
        }
        return length;
    }

    /** Writes an array's count (or null marker); true when elements follow. */
    public static boolean writeArrayLength(Writable out, Collection<?> value, boolean compact, boolean nullable,
                                           String field) {
        if (value == null) {
            checkNull(nullable, field);
            writeLength(out, -1, compact, false);
            return false;
        }
        writeLength(out, value.size(), compact, false);
        return true;
    }

    /** Size of an array's count; {@code length} -1 stands for null. */
    public static int sizeOfArrayLength(int length, boolean compact) {
        return sizeOfLength(length, compact, false);
    }

    /** Initial list capacity for {@code length} elements read from untrusted input. */
    public static int initialCapacity(int length) {
        return Math.min(length, MAX_PREALLOCATED_ELEMENTS);
    }

    // ---------------------------------------------------------------- tagged fields

    /** Reads a tagged field's size prefix and checks that the input holds that many bytes. */
    public static int readTaggedFieldSize(Readable in) {
        final int size = in.readUnsignedVarint();
        if (size < 0 || size > in.remaining()) {
            throw new DecodeException("tagged field size " + Integer.toUnsignedString(size) + " exceeds the "
                + in.remaining() + " bytes remaining");
        }
        return size;
    }

    /** Checks that a known tagged field's value used exactly the bytes its size prefix announced. */
    public static void checkTaggedFieldEnd(Readable in, int expectedRemaining, int tag) {
        if (in.remaining() != expectedRemaining) {
            throw new DecodeException("tagged field " + tag + " did not match its size prefix");
        }
    }

    /** Keeps an unknown tagged field's payload; returns the (possibly new) list. */
    public static List<RawTaggedField> readUnknownTaggedField(Readable in, List<RawTaggedField> fields, int tag,
                                                              int size) {
        final List<RawTaggedField> result = fields == null ? new ArrayList<>(1) : fields;
        result.add(new RawTaggedField(tag, in.readArray(size)));
        return result;
    }

    public static int countUnknownTaggedFields(List<RawTaggedField> fields) {
        return fields == null ? 0 : fields.size();
    }

    /** Bytes the unknown fields take, tag and size prefixes included. */
    public static int sizeOfUnknownTaggedFields(List<RawTaggedField> fields) {
        if (fields == null) {
            return 0;
        }
        int total = 0;
        for (int i = 0; i < fields.size(); i++) {
            final RawTaggedField f = fields.get(i);
            total += Varints.sizeOfUnsignedVarint(f.tag()) + Varints.sizeOfUnsignedVarint(f.size()) + f.size();
        }
        return total;
    }

    /**
     * Writes unknown fields from index {@code from} while their tag is below {@code beforeTag}, so they
     * interleave in order with the known ones; returns the index of the first field not written.
     */
    public static int writeUnknownTaggedFields(Writable out, List<RawTaggedField> fields, int from, int beforeTag) {
        if (fields == null) {
            return 0;
        }
        int i = from;
        while (i < fields.size() && fields.get(i).tag() < beforeTag) {
            final RawTaggedField f = fields.get(i);
            out.writeUnsignedVarint(f.tag());
            out.writeUnsignedVarint(f.size());
            out.writeByteArray(f.data());
            i++;
        }
        return i;
    }

    /** Equality where a missing list and an empty one are the same. */
    public static boolean unknownTaggedFieldsEqual(List<RawTaggedField> a, List<RawTaggedField> b) {
        final boolean aEmpty = a == null || a.isEmpty();
        final boolean bEmpty = b == null || b.isEmpty();
        if (aEmpty || bEmpty) {
            return aEmpty == bEmpty;
        }
        return a.equals(b);
    }

    // ---------------------------------------------------------------- setters and toString

    public static void checkUnsignedShort(int value, String field) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("uint16 field " + field + " cannot hold " + value);
        }
    }

    public static void checkUnsignedInt(long value, String field) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("uint32 field " + field + " cannot hold " + value);
        }
    }

    /** A string for toString: quoted, or {@code null}. */
    public static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }

    /** Records for toString: their size only, since they can be megabytes. */
    public static String describeRecords(Records records) {
        return records == null ? "null" : records.sizeInBytes() + " bytes";
    }
}

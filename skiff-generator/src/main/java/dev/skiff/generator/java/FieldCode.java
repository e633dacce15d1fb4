package dev.skiff.generator.java;

import dev.skiff.generator.spec.FieldSpec;
import dev.skiff.generator.spec.FieldType;
import dev.skiff.generator.spec.Versions;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Locale;

/**
 * Everything the writers need to know about one field inside one struct: its Java type, default,
 * version tests, and the statements that read, write and size it.
 *
 * <p>Version tests are computed against the versions the struct can appear in (see
 * {@link VersionCondition}), so the generated code only tests what can vary.
 */
final class FieldCode {
    private final FieldSpec field;
    private final Versions known;
    private final Versions flexible;
    private final Versions present;
    private final Versions tagged;
    private final Versions untagged;

    /**
     * @param known the versions the enclosing struct can appear in
     * @param messageFlexible the message's flexible versions
     */
    FieldCode(FieldSpec field, Versions known, Versions messageFlexible) {
        this.field = field;
        this.known = known;
        this.flexible = field.flexibleVersions(messageFlexible);
        this.present = field.versions().intersect(known);
        this.tagged = field.taggedVersions().intersect(present);
        this.untagged = present.subtract(tagged);
        if (!flexible.contains(field.taggedVersions())) {
            throw new IllegalArgumentException("field " + field.name() + " is tagged in versions "
                + field.taggedVersions() + " that are not flexible (" + flexible + ")");
        }
    }

    FieldSpec spec() {
        return field;
    }

    /** The Java field, getter and local-variable name. */
    String name() {
        return Names.lowerCamel(field.name());
    }

    /** {@code this.name}. */
    String ref() {
        return "this." + name();
    }

    FieldType type() {
        return field.type();
    }

    Integer tag() {
        return field.tag();
    }

    /** Whether the field is ever present in the struct's versions. */
    boolean everPresent() {
        return !present.isEmpty();
    }

    /** Whether the field is ever sent as a tagged field in the struct's versions. */
    boolean everTagged() {
        return !tagged.isEmpty();
    }

    String presentCondition() {
        return VersionCondition.of(present, known);
    }

    String absentCondition() {
        return VersionCondition.not(present, known);
    }

    String untaggedCondition() {
        return VersionCondition.of(untagged, known);
    }

    String taggedCondition() {
        return VersionCondition.of(tagged, known);
    }

    /** Whether the field is tagged, inside code that runs only in {@code versions}. */
    String taggedCondition(Versions versions) {
        return VersionCondition.of(tagged, versions);
    }

    /** Whether the field uses compact encodings, inside code that runs only in {@code versions}. */
    String compactCondition(Versions versions) {
        return VersionCondition.of(flexible, versions);
    }

    String nullableCondition(Versions versions) {
        return VersionCondition.of(field.nullableVersions(), versions);
    }

    Versions untaggedVersions() {
        return untagged;
    }

    Versions taggedVersions() {
        return tagged;
    }

    Versions presentVersions() {
        return present;
    }

    // ---------------------------------------------------------------- types and defaults

    String javaType() {
        return javaType(field.type(), field.zeroCopy());
    }

    static String javaType(FieldType type, boolean zeroCopy) {
        switch (type.kind()) {
            case BOOL:
                return "boolean";
            case INT8:
                return "byte";
            case INT16:
                return "short";
            case UINT16:
            case INT32:
                return "int";
            case UINT32:
            case INT64:
                return "long";
            case FLOAT64:
                return "double";
            case UUID:
                return "UUID";
            case STRING:
                return "String";
            case BYTES:
                return zeroCopy ? "ByteBuffer" : "byte[]";
            case RECORDS:
                return "Records";
            case STRUCT:
                return type.structName();
            case ARRAY:
                return "List<" + boxedType(type.element()) + ">";
            default:
                throw new IllegalStateException(type.toString());
        }
    }

    /** The element type as a type argument. */
    static String boxedType(FieldType type) {
        switch (type.kind()) {
            case BOOL:
                return "Boolean";
            case INT8:
                return "Byte";
            case INT16:
                return "Short";
            case UINT16:
            case INT32:
                return "Integer";
            case UINT32:
            case INT64:
                return "Long";
            case FLOAT64:
                return "Double";
            default:
                return javaType(type, false);
        }
    }

    /** Whether the Java value is a primitive compared with {@code ==}. */
    boolean isPrimitive() {
        return field.type().kind().fixedSize() > 0 && field.type().kind() != FieldType.Kind.UUID;
    }

    /** The Java expression for the field's default value. */
    String defaultExpression() {
        final String d = field.defaultValue().trim();
        final FieldType type = field.type();
        switch (type.kind()) {
            case BOOL:
                if (d.isEmpty()) {
                    return "false";
                }
                final String lower = d.toLowerCase(Locale.ROOT);
                if (!lower.equals("true") && !lower.equals("false")) {
                    throw bad("bool", d);
                }
                return lower;
            case INT8:
                return "(byte) " + integer(d, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16:
                return "(short) " + integer(d, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT16:
                return integer(d, 0, 0xFFFF);
            case INT32:
                return integer(d, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case UINT32:
                return integer(d, 0, 0xFFFFFFFFL) + "L";
            case INT64:
                return integer(d, Long.MIN_VALUE, Long.MAX_VALUE) + "L";
            case FLOAT64:
                return doubleLiteral(d);
            case UUID:
                return uuidLiteral(d);
            case STRING:
                return d.equals("null") ? "null" : Names.stringLiteral(field.defaultValue());
            case BYTES:
                if (d.equals("null")) {
                    return "null";
                }
                if (!d.isEmpty()) {
                    throw bad("bytes", d);
                }
                return field.zeroCopy() ? "ByteBuffer.allocate(0)" : "new byte[0]";
            case RECORDS:
                if (!d.isEmpty() && !d.equals("null")) {
                    throw bad("records", d);
                }
                return "null";
            case STRUCT:
                if (d.equals("null")) {
                    return "null";
                }
                if (!d.isEmpty()) {
                    throw bad("struct", d);
                }
                return "new " + type.structName() + "()";
            case ARRAY:
                if (d.equals("null")) {
                    return "null";
                }
                if (!d.isEmpty()) {
                    throw bad("array", d);
                }
                return "new ArrayList<>(0)";
            default:
                throw new IllegalStateException(type.toString());
        }
    }

    /** A boolean Java expression: does {@code ref} hold something other than the default value? */
    String isNotDefault(String ref) {
        final String d = defaultExpression();
        switch (field.type().kind()) {
            case BOOL:
                return d.equals("true") ? "!" + ref : ref;
            case INT8:
            case INT16:
            case UINT16:
            case INT32:
            case UINT32:
            case INT64:
            case FLOAT64:
                // != also for doubles, as Kafka does: -0.0 counts as the default 0.0.
                return ref + " != " + d;
            case UUID:
            case STRING:
            case STRUCT:
                return d.equals("null") ? ref + " != null" : "!" + d + ".equals(" + ref + ")";
            case BYTES:
                if (d.equals("null")) {
                    return ref + " != null";
                }
                return field.zeroCopy() ? ref + " == null || " + ref + ".hasRemaining()"
                    : ref + " == null || " + ref + ".length != 0";
            case RECORDS:
                return ref + " != null";
            case ARRAY:
                return d.equals("null") ? ref + " != null" : ref + " == null || !" + ref + ".isEmpty()";
            default:
                throw new IllegalStateException(field.type().toString());
        }
    }

    private IllegalArgumentException bad(String what, String value) {
        return new IllegalArgumentException("invalid default for " + what + " field " + field.name() + ": " + value);
    }

    private String integer(String text, long min, long max) {
        if (text.isEmpty()) {
            return "0";
        }
        final boolean negative = text.startsWith("-");
        final String digits = negative ? text.substring(1) : text;
        final BigInteger value;
        try {
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                value = new BigInteger(digits.substring(2), 16);
            } else {
                value = new BigInteger(digits);
            }
        } catch (NumberFormatException e) {
            throw bad(field.type().toString(), text);
        }
        final BigInteger signed = negative ? value.negate() : value;
        if (signed.compareTo(BigInteger.valueOf(min)) < 0 || signed.compareTo(BigInteger.valueOf(max)) > 0) {
            throw bad(field.type().toString(), text);
        }
        return signed.toString();
    }

    private String doubleLiteral(String text) {
        if (text.isEmpty()) {
            return "0.0";
        }
        final double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw bad("float64", text);
        }
        if (Double.isNaN(v)) {
            return "Double.NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        return Double.toString(v);
    }

    private String uuidLiteral(String text) {
        if (text.isEmpty()) {
            return "Uuids.ZERO";
        }
        // Spec defaults for UUIDs use Kafka's URL-safe base64 form of the 16 bytes.
        final ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            throw bad("uuid", text);
        }
        if (bytes.remaining() != 16) {
            throw bad("uuid", text);
        }
        return "new UUID(" + bytes.getLong() + "L, " + bytes.getLong() + "L)";
    }

    // ---------------------------------------------------------------- primitive codec expressions

    /** An expression reading a fixed-size value of {@code type}. */
    static String readFixed(FieldType type) {
        switch (type.kind()) {
            case BOOL:
                return "in.readByte() != 0";
            case INT8:
                return "in.readByte()";
            case INT16:
                return "in.readShort()";
            case UINT16:
                return "in.readUnsignedShort()";
            case INT32:
                return "in.readInt()";
            case UINT32:
                return "in.readUnsignedInt()";
            case INT64:
                return "in.readLong()";
            case FLOAT64:
                return "in.readDouble()";
            case UUID:
                return "in.readUuid()";
            default:
                throw new IllegalStateException("not fixed-size: " + type);
        }
    }

    /** A statement writing the fixed-size {@code value}. */
    static String writeFixed(FieldType type, String value) {
        switch (type.kind()) {
            case BOOL:
                return "out.writeByte(" + value + " ? (byte) 1 : (byte) 0);";
            case INT8:
                return "out.writeByte(" + value + ");";
            case INT16:
                return "out.writeShort(" + value + ");";
            case UINT16:
                return "out.writeUnsignedShort(" + value + ");";
            case INT32:
                return "out.writeInt(" + value + ");";
            case UINT32:
                return "out.writeUnsignedInt(" + value + ");";
            case INT64:
                return "out.writeLong(" + value + ");";
            case FLOAT64:
                return "out.writeDouble(" + value + ");";
            case UUID:
                return "out.writeUuid(" + value + ");";
            default:
                throw new IllegalStateException("not fixed-size: " + type);
        }
    }

    /** The FieldCodec method suffix for a variable-length, non-array, non-struct type. */
    static String codecSuffix(FieldType type, boolean zeroCopy) {
        switch (type.kind()) {
            case STRING:
                return "String";
            case BYTES:
                return zeroCopy ? "ByteBuffer" : "Bytes";
            case RECORDS:
                return "Records";
            default:
                throw new IllegalStateException("no codec for " + type);
        }
    }

    /** Name of the generated helper that sizes this array field. */
    String arraySizeMethod() {
        return "sizeOf" + Names.upperCamel(field.name());
    }
}

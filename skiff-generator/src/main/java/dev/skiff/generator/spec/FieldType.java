package dev.skiff.generator.spec;

import java.util.Objects;

/**
 * The type of a field: a primitive, a struct (by name), or an array of either.
 *
 * <p>Spec files write these as {@code "int32"}, {@code "string"}, {@code "TopicData"} or
 * {@code "[]TopicData"}.
 */
public final class FieldType {
    /** What kind of value a field holds. */
    public enum Kind {
        BOOL(1), INT8(1), INT16(2), UINT16(2), INT32(4), UINT32(4), INT64(8), FLOAT64(8), UUID(16),
        STRING(-1), BYTES(-1), RECORDS(-1), STRUCT(-1), ARRAY(-1);

        private final int fixedSize;

        Kind(int fixedSize) {
            this.fixedSize = fixedSize;
        }

        /** Encoded size in bytes, or -1 when it depends on the value. */
        public int fixedSize() {
            return fixedSize;
        }
    }

    private final Kind kind;
    private final String structName;
    private final FieldType element;

    private FieldType(Kind kind, String structName, FieldType element) {
        this.kind = kind;
        this.structName = structName;
        this.element = element;
    }

    /** Parses a spec type string. Unknown names that look like Java identifiers are struct types. */
    public static FieldType parse(String text) {
        final String s = Objects.requireNonNull(text, "type").trim();
        if (s.startsWith("[]")) {
            final FieldType element = parse(s.substring(2));
            if (element.isArray()) {
                throw new IllegalArgumentException("nested arrays are not supported: " + s);
            }
            if (element.kind == Kind.RECORDS) {
                throw new IllegalArgumentException("arrays of records are not supported: " + s);
            }
            return new FieldType(Kind.ARRAY, null, element);
        }
        switch (s) {
            case "bool":
                return new FieldType(Kind.BOOL, null, null);
            case "int8":
                return new FieldType(Kind.INT8, null, null);
            case "int16":
                return new FieldType(Kind.INT16, null, null);
            case "uint16":
                return new FieldType(Kind.UINT16, null, null);
            case "int32":
                return new FieldType(Kind.INT32, null, null);
            case "uint32":
                return new FieldType(Kind.UINT32, null, null);
            case "int64":
                return new FieldType(Kind.INT64, null, null);
            case "float64":
                return new FieldType(Kind.FLOAT64, null, null);
            case "uuid":
                return new FieldType(Kind.UUID, null, null);
            case "string":
                return new FieldType(Kind.STRING, null, null);
            case "bytes":
                return new FieldType(Kind.BYTES, null, null);
            case "records":
                return new FieldType(Kind.RECORDS, null, null);
            default:
                if (!s.matches("[A-Z][A-Za-z0-9]*")) {
                    throw new IllegalArgumentException("unknown field type: " + s);
                }
                return new FieldType(Kind.STRUCT, s, null);
        }
    }

    public Kind kind() {
        return kind;
    }

    public boolean isArray() {
        return kind == Kind.ARRAY;
    }

    public boolean isStruct() {
        return kind == Kind.STRUCT;
    }

    /** True for a struct or an array of structs. */
    public boolean refersToStruct() {
        return isStruct() || (isArray() && element.isStruct());
    }

    /** For arrays, the element type; otherwise {@code null}. */
    public FieldType element() {
        return element;
    }

    /** The struct name of a struct or of an array's struct elements; otherwise {@code null}. */
    public String structName() {
        return isArray() ? element.structName : structName;
    }

    /** True for types whose null value the wire format can carry. */
    public boolean canBeNull() {
        return kind == Kind.STRING || kind == Kind.BYTES || kind == Kind.RECORDS || kind == Kind.STRUCT
            || kind == Kind.ARRAY;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FieldType)) {
            return false;
        }
        final FieldType other = (FieldType) o;
        return kind == other.kind && Objects.equals(structName, other.structName)
            && Objects.equals(element, other.element);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, structName, element);
    }

    @Override
    public String toString() {
        switch (kind) {
            case ARRAY:
                return "[]" + element;
            case STRUCT:
                return structName;
            default:
                return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

package dev.skiff.generator.java;

import dev.skiff.generator.spec.FieldType;

/**
 * Writes {@code size(short version)}, the exact number of bytes {@code write} produces, and one
 * {@code sizeOf<Field>(short)} helper per array field.
 *
 * <p>Nothing is cached between {@code size} and {@code write}: strings are measured by scanning their
 * characters, which costs no allocation, and tagged values are measured again when written.
 */
final class SizeMethodWriter {
    private final CodeBuffer b;

    SizeMethodWriter(CodeBuffer b) {
        this.b = b;
    }

    void write(StructInfo s) {
        b.line("@Override");
        b.open("public int size(short version)");
        MessageClassWriter.versionCheck(b, s, "size");
        b.line("int total = 0;");
        for (FieldCode f : s.fields()) {
            final String cond = f.untaggedCondition();
            if (cond.equals(VersionCondition.FALSE)) {
                continue;
            }
            final String expr = valueSize(f, false);
            if (cond.equals(VersionCondition.TRUE)) {
                b.line("total += %s;", expr);
            } else {
                b.open("if (%s)", cond);
                b.line("total += %s;", expr);
                b.close();
            }
        }
        b.line("int numTaggedFields = FieldCodec.countUnknownTaggedFields(this.unknownTaggedFields);");
        b.line("total += FieldCodec.sizeOfUnknownTaggedFields(this.unknownTaggedFields);");
        for (FieldCode f : s.taggedFields()) {
            b.open("if (%s)", WriteMethodWriter.sendTagged(f, f.taggedCondition()));
            b.line("numTaggedFields++;");
            b.line("final int payload = %s;", taggedPayloadSize(f));
            b.line("total += %s + Varints.sizeOfUnsignedVarint(payload) + payload;", unsignedVarintSize(f.tag()));
            b.close();
        }
        final String flex = s.flexibleCondition();
        if (flex.equals(VersionCondition.TRUE)) {
            b.line("total += Varints.sizeOfUnsignedVarint(numTaggedFields);");
        } else {
            if (!flex.equals(VersionCondition.FALSE)) {
                b.open("if (%s)", flex);
                b.line("total += Varints.sizeOfUnsignedVarint(numTaggedFields);");
                b.closeOpen("else if (numTaggedFields > 0)");
            } else {
                b.open("if (numTaggedFields > 0)");
            }
            b.line("throw new UnsupportedVersionException(\"Tagged fields were set, but version \" + version\n"
                + "+ \" of %s does not support them\");", s.className());
            b.close();
        }
        b.line("return total;");
        b.close();
        for (FieldCode f : s.fields()) {
            if (f.type().isArray() && f.everPresent()) {
                b.blank();
                arraySizeHelper(f);
            }
        }
    }

    /** Bytes of {@code value} as an unsigned varint, worked out here rather than at run time. */
    static int unsignedVarintSize(int value) {
        int bytes = 1;
        for (int rest = value >>> 7; rest != 0; rest >>>= 7) {
            bytes++;
        }
        return bytes;
    }

    /** The size of the value in its tagged form, without the tag and size prefixes. */
    static String taggedPayloadSize(FieldCode f) {
        return valueSize(f, true);
    }

    private static String valueSize(FieldCode f, boolean tagged) {
        final FieldType type = f.type();
        final String compact = tagged ? VersionCondition.TRUE
            : f.compactCondition(f.untaggedVersions());
        switch (type.kind()) {
            case STRING:
            case BYTES:
            case RECORDS:
                return String.format("FieldCodec.sizeOf%s(%s, %s)",
                    FieldCode.codecSuffix(type, f.spec().zeroCopy()), f.ref(), compact);
            case ARRAY:
                return f.arraySizeMethod() + "(version)";
            case STRUCT:
                return structSize(f, f.nullableCondition(tagged ? f.taggedVersions() : f.untaggedVersions()));
            default:
                return Integer.toString(type.kind().fixedSize());
        }
    }

    private static String structSize(FieldCode f, String nullable) {
        final String body = f.ref() + ".size(version)";
        if (nullable.equals(VersionCondition.FALSE)) {
            return body;
        }
        // One marker byte (int8 in place, a one-byte varint when tagged) precedes the body.
        final String withMarker = "(" + f.ref() + " == null ? 1 : 1 + " + body + ")";
        if (nullable.equals(VersionCondition.TRUE)) {
            return withMarker;
        }
        return "(" + nullable + " ? " + withMarker + " : " + body + ")";
    }

    private void arraySizeHelper(FieldCode f) {
        final FieldType element = f.type().element();
        b.open("private int %s(short version)", f.arraySizeMethod());
        b.line("final boolean compact = %s;", f.compactCondition(f.presentVersions()));
        b.open("if (%s == null)", f.ref());
        b.line("return FieldCodec.sizeOfArrayLength(-1, compact);");
        b.close();
        b.line("int total = FieldCodec.sizeOfArrayLength(%s.size(), compact);", f.ref());
        switch (element.kind()) {
            case STRUCT:
                b.open("for (final %s e : %s)", element.structName(), f.ref());
                b.line("total += e.size(version);");
                b.close();
                break;
            case STRING:
            case BYTES:
                b.open("for (final %s e : %s)", FieldCode.boxedType(element), f.ref());
                b.line("total += FieldCodec.sizeOf%s(e, compact);", FieldCode.codecSuffix(element, false));
                b.close();
                break;
            default:
                b.line("total += %s.size() * %s;", f.ref(), element.kind().fixedSize());
        }
        b.line("return total;");
        b.close();
    }
}

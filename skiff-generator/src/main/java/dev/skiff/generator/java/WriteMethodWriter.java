package dev.skiff.generator.java;

import dev.skiff.generator.spec.FieldType;
import dev.skiff.generator.spec.Versions;

/**
 * Writes {@code write(Writable out, short version)}. As in Kafka, a non-default value in a field the
 * version lacks is an error unless the field is ignorable, so information is never dropped silently.
 */
final class WriteMethodWriter {
    private final CodeBuffer b;

    WriteMethodWriter(CodeBuffer b) {
        this.b = b;
    }

    void write(StructInfo s) {
        b.line("@Override");
        b.open("public void write(Writable out, short version)");
        MessageClassWriter.versionCheck(b, s, "write");
        for (FieldCode f : s.fields()) {
            final String cond = f.untaggedCondition();
            if (!cond.equals(VersionCondition.FALSE)) {
                if (!cond.equals(VersionCondition.TRUE)) {
                    b.open("if (%s)", cond);
                }
                writeValue(f, f.untaggedVersions(), false);
                if (!cond.equals(VersionCondition.TRUE)) {
                    b.close();
                }
            }
            if (!f.spec().ignorable()) {
                final String absent = VersionCondition.and(f.absentCondition(), f.isNotDefault(f.ref()));
                if (!absent.equals(VersionCondition.FALSE)) {
                    b.open("if (%s)", absent);
                    b.line("throw new UnsupportedVersionException(\"Attempted to write a non-default %s\"\n"
                        + "+ \" at version \" + version);", f.name());
                    b.close();
                }
            }
        }
        writeTaggedSection(s);
        b.close();
    }

    private void writeTaggedSection(StructInfo s) {
        b.line("int numTaggedFields = FieldCodec.countUnknownTaggedFields(this.unknownTaggedFields);");
        for (FieldCode f : s.taggedFields()) {
            b.open("if (%s)", sendTagged(f, f.taggedCondition()));
            b.line("numTaggedFields++;");
            b.close();
        }
        final String flex = s.flexibleCondition();
        if (flex.equals(VersionCondition.FALSE)) {
            tooManyTags(s, "if (numTaggedFields > 0)");
            return;
        }
        if (!flex.equals(VersionCondition.TRUE)) {
            b.open("if (%s)", flex);
        }
        b.line("out.writeUnsignedVarint(numTaggedFields);");
        if (s.taggedFields().isEmpty()) {
            b.line("FieldCodec.writeUnknownTaggedFields(out, this.unknownTaggedFields, 0, Integer.MAX_VALUE);");
        } else {
            // Known and unknown tags go out in ascending order, merged.
            b.line("int rawIndex = 0;");
            for (FieldCode f : s.taggedFields()) {
                b.line("rawIndex = FieldCodec.writeUnknownTaggedFields(out, this.unknownTaggedFields, rawIndex, %s);",
                    f.tag());
                // Inside the flexible branch, so the tagged-version test can often be dropped.
                b.open("if (%s)", sendTagged(f, f.taggedCondition(s.flexible().intersect(s.versions()))));
                b.line("out.writeUnsignedVarint(%s);", f.tag());
                b.line("out.writeUnsignedVarint(%s);", SizeMethodWriter.taggedPayloadSize(f));
                writeValue(f, f.taggedVersions(), true);
                b.close();
            }
            b.line("FieldCodec.writeUnknownTaggedFields(out, this.unknownTaggedFields, rawIndex, Integer.MAX_VALUE);");
        }
        if (!flex.equals(VersionCondition.TRUE)) {
            b.outdent();
            tooManyTags(s, "} else if (numTaggedFields > 0)");
        }
    }

    private void tooManyTags(StructInfo s, String header) {
        b.open(header);
        b.line("throw new UnsupportedVersionException(\"Tagged fields were set, but version \" + version\n"
            + "+ \" of %s does not support them\");", s.className());
        b.close();
    }

    /** The test for "this tagged field is sent": its version is tagged and its value is not the default. */
    static String sendTagged(FieldCode f, String taggedCondition) {
        return VersionCondition.and(taggedCondition, f.isNotDefault(f.ref()));
    }

    private void writeValue(FieldCode f, Versions versions, boolean tagged) {
        final FieldType type = f.type();
        final String compact = tagged ? VersionCondition.TRUE : f.compactCondition(versions);
        final String nullable = f.nullableCondition(versions);
        switch (type.kind()) {
            case STRING:
            case BYTES:
            case RECORDS:
                b.line("FieldCodec.write%s(out, %s, %s, %s, \"%s\");",
                    FieldCode.codecSuffix(type, f.spec().zeroCopy()), f.ref(), compact, nullable, f.name());
                break;
            case STRUCT:
                writeStruct(f, nullable, tagged);
                break;
            case ARRAY:
                writeArray(f, compact, nullable);
                break;
            default:
                b.line(FieldCode.writeFixed(type, f.ref()));
        }
    }

    private void writeStruct(FieldCode f, String nullable, boolean tagged) {
        final String body = String.format("%s.write(out, version);", f.ref());
        if (nullable.equals(VersionCondition.FALSE)) {
            b.line(body);
            return;
        }
        final String nullMarker = tagged ? "out.writeUnsignedVarint(0);" : "out.writeByte((byte) -1);";
        final String presentMarker = tagged ? "out.writeUnsignedVarint(1);" : "out.writeByte((byte) 1);";
        final boolean always = nullable.equals(VersionCondition.TRUE);
        b.open("if (%s)", always ? f.ref() + " == null" : "(" + nullable + ") && " + f.ref() + " == null");
        b.line(nullMarker);
        b.closeOpen("else");
        if (always) {
            b.line(presentMarker);
        } else {
            b.open("if (%s)", nullable);
            b.line(presentMarker);
            b.close();
        }
        b.line(body);
        b.close();
    }

    private void writeArray(FieldCode f, String compact, String nullable) {
        final FieldType element = f.type().element();
        b.open("if (FieldCodec.writeArrayLength(out, %s, %s, %s, \"%s\"))", f.ref(), compact, nullable, f.name());
        b.open("for (final %s e : %s)", FieldCode.boxedType(element), f.ref());
        switch (element.kind()) {
            case STRUCT:
                b.line("e.write(out, version);");
                break;
            case STRING:
            case BYTES:
                b.line("FieldCodec.write%s(out, e, %s, false, \"%s element\");",
                    FieldCode.codecSuffix(element, false), compact, f.name());
                break;
            default:
                b.line(FieldCode.writeFixed(element, "e"));
        }
        b.close();
        b.close();
    }
}

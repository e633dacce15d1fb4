package dev.skiff.generator.java;

import dev.skiff.generator.spec.FieldType;
import dev.skiff.generator.spec.Versions;

/**
 * Writes {@code read(Readable in, short version)}: fields in order, absent ones reset to defaults, then
 * the tagged-field section of flexible versions, keeping tags it does not know.
 */
final class ReadMethodWriter {
    private final CodeBuffer b;

    ReadMethodWriter(CodeBuffer b) {
        this.b = b;
    }

    void write(StructInfo s) {
        b.line("@Override");
        b.open("public void read(Readable in, short version)");
        MessageClassWriter.versionCheck(b, s, "read");
        for (FieldCode f : s.fields()) {
            final String cond = f.untaggedCondition();
            if (cond.equals(VersionCondition.TRUE)) {
                readValue(f, f.untaggedVersions(), false);
            } else if (cond.equals(VersionCondition.FALSE)) {
                b.line("%s = %s;", f.ref(), f.defaultExpression());
            } else {
                b.open("if (%s)", cond);
                readValue(f, f.untaggedVersions(), false);
                b.closeOpen("else");
                b.line("%s = %s;", f.ref(), f.defaultExpression());
                b.close();
            }
        }
        b.line("this.unknownTaggedFields = null;");
        final String flex = s.flexibleCondition();
        if (!flex.equals(VersionCondition.FALSE)) {
            if (!flex.equals(VersionCondition.TRUE)) {
                b.open("if (%s)", flex);
            }
            readTaggedSection(s);
            if (!flex.equals(VersionCondition.TRUE)) {
                b.close();
            }
        }
        b.close();
    }

    private void readTaggedSection(StructInfo s) {
        b.line("final int numTaggedFields = in.readUnsignedVarint();");
        b.open("for (int t = 0; t < numTaggedFields; t++)");
        b.line("final int tag = in.readUnsignedVarint();");
        b.line("final int tagSize = FieldCodec.readTaggedFieldSize(in);");
        if (s.taggedFields().isEmpty()) {
            readUnknown();
        } else {
            b.line("final int tagEnd = in.remaining() - tagSize;");
            boolean first = true;
            for (FieldCode f : s.taggedFields()) {
                final String cond = VersionCondition.and("tag == " + f.tag(),
                    f.taggedCondition(s.flexible().intersect(s.versions())));
                if (first) {
                    b.open("if (%s)", cond);
                    first = false;
                } else {
                    b.closeOpen("else if (%s)", cond);
                }
                readValue(f, f.taggedVersions(), true);
                b.line("FieldCodec.checkTaggedFieldEnd(in, tagEnd, tag);");
            }
            b.closeOpen("else");
            readUnknown();
            b.close();
        }
        b.close();
    }

    private void readUnknown() {
        b.line("this.unknownTaggedFields =\n"
            + "FieldCodec.readUnknownTaggedField(in, this.unknownTaggedFields, tag, tagSize);");
    }

    /** Statements reading the field in {@code versions}; tagged values always use compact encodings. */
    private void readValue(FieldCode f, Versions versions, boolean tagged) {
        final FieldType type = f.type();
        final String compact = tagged ? VersionCondition.TRUE : f.compactCondition(versions);
        final String nullable = f.nullableCondition(versions);
        switch (type.kind()) {
            case STRING:
            case BYTES:
            case RECORDS:
                b.line("%s = FieldCodec.read%s(in, %s, %s, \"%s\");", f.ref(),
                    FieldCode.codecSuffix(type, f.spec().zeroCopy()), compact, nullable, f.name());
                break;
            case STRUCT:
                readStruct(f, nullable, tagged);
                break;
            case ARRAY:
                readArray(f, compact, nullable);
                break;
            default:
                b.line("%s = %s;", f.ref(), FieldCode.readFixed(type));
        }
    }

    private void readStruct(FieldCode f, String nullable, boolean tagged) {
        final String create = String.format("%s = new %s();", f.ref(), f.type().structName());
        final String read = String.format("%s.read(in, version);", f.ref());
        if (nullable.equals(VersionCondition.FALSE)) {
            b.line(create);
            b.line(read);
            return;
        }
        // Nullable structs carry a marker before the body: int8 -1/1 in place, varint 0/1 when tagged.
        final String isNull = tagged ? "in.readUnsignedVarint() == 0" : "in.readByte() < 0";
        b.open("if (%s)", nullable.equals(VersionCondition.TRUE) ? isNull : "(" + nullable + ") && " + isNull);
        b.line("%s = null;", f.ref());
        b.closeOpen("else");
        b.line(create);
        b.line(read);
        b.close();
    }

    private void readArray(FieldCode f, String compact, String nullable) {
        final FieldType element = f.type().element();
        b.block();
        b.line("final int n = FieldCodec.readArrayLength(in, %s, %s, \"%s\");", compact, nullable, f.name());
        final boolean mayBeNull = !nullable.equals(VersionCondition.FALSE);
        if (mayBeNull) {
            b.open("if (n < 0)");
            b.line("%s = null;", f.ref());
            b.closeOpen("else");
        }
        b.line("final ArrayList<%s> list = new ArrayList<>(FieldCodec.initialCapacity(n));",
            FieldCode.boxedType(element));
        b.open("for (int i = 0; i < n; i++)");
        switch (element.kind()) {
            case STRUCT:
                b.line("final %s e = new %s();", element.structName(), element.structName());
                b.line("e.read(in, version);");
                b.line("list.add(e);");
                break;
            case STRING:
            case BYTES:
                b.line("list.add(FieldCodec.read%s(in, %s, false, \"%s element\"));",
                    FieldCode.codecSuffix(element, false), compact, f.name());
                break;
            default:
                b.line("list.add(%s);", FieldCode.readFixed(element));
        }
        b.close();
        b.line("%s = list;", f.ref());
        if (mayBeNull) {
            b.close();
        }
        b.outdent().line("}");
    }
}

package dev.skiff.generator.java;

/** Writes {@code equals}, {@code hashCode} and {@code toString} for one generated class. */
final class ObjectMethodsWriter {
    private final CodeBuffer b;

    ObjectMethodsWriter(CodeBuffer b) {
        this.b = b;
    }

    void write(StructInfo s) {
        equalsMethod(s);
        b.blank();
        hashCodeMethod(s);
        b.blank();
        toStringMethod(s);
    }

    private void equalsMethod(StructInfo s) {
        b.line("@Override");
        b.open("public boolean equals(Object obj)");
        b.open("if (this == obj)");
        b.line("return true;");
        b.close();
        b.open("if (!(obj instanceof %s))", s.className());
        b.line("return false;");
        b.close();
        b.line("final %s other = (%s) obj;", s.className(), s.className());
        for (FieldCode f : s.fields()) {
            final String a = f.ref();
            final String o = "other." + f.name();
            final String differs;
            switch (f.type().kind()) {
                case FLOAT64:
                    differs = "Double.compare(" + a + ", " + o + ") != 0";
                    break;
                case BYTES:
                    differs = f.spec().zeroCopy() ? "!Objects.equals(" + a + ", " + o + ")"
                        : "!Arrays.equals(" + a + ", " + o + ")";
                    break;
                default:
                    differs = f.isPrimitive() ? a + " != " + o : "!Objects.equals(" + a + ", " + o + ")";
            }
            b.open("if (%s)", differs);
            b.line("return false;");
            b.close();
        }
        b.line("return FieldCodec.unknownTaggedFieldsEqual(this.unknownTaggedFields, other.unknownTaggedFields);");
        b.close();
    }

    private void hashCodeMethod(StructInfo s) {
        b.line("@Override");
        b.open("public int hashCode()");
        b.line("int h = 0;");
        for (FieldCode f : s.fields()) {
            b.line("h = 31 * h + %s;", hash(f));
        }
        b.line("return h;");
        b.close();
    }

    private static String hash(FieldCode f) {
        final String a = f.ref();
        switch (f.type().kind()) {
            case BOOL:
                return "Boolean.hashCode(" + a + ")";
            case INT8:
            case INT16:
            case UINT16:
            case INT32:
                return a;
            case UINT32:
            case INT64:
                return "Long.hashCode(" + a + ")";
            case FLOAT64:
                return "Double.hashCode(" + a + ")";
            case BYTES:
                return f.spec().zeroCopy() ? "Objects.hashCode(" + a + ")" : "Arrays.hashCode(" + a + ")";
            default:
                return "Objects.hashCode(" + a + ")";
        }
    }

    private void toStringMethod(StructInfo s) {
        b.line("@Override");
        b.open("public String toString()");
        if (s.fields().isEmpty()) {
            b.line("return \"%s()\";", s.className());
            b.close();
            return;
        }
        b.line("return \"%s(\"", s.className());
        b.indent().indent();
        boolean first = true;
        for (FieldCode f : s.fields()) {
            b.line("+ \"%s%s=\" + %s", first ? "" : ", ", f.name(), display(f));
            first = false;
        }
        b.line("+ \")\";");
        b.outdent().outdent();
        b.close();
    }

    private static String display(FieldCode f) {
        final String a = f.ref();
        switch (f.type().kind()) {
            case STRING:
                return "FieldCodec.quote(" + a + ")";
            case BYTES:
                return f.spec().zeroCopy() ? a : "Arrays.toString(" + a + ")";
            case RECORDS:
                // Records can be megabytes; their size is what a log line needs.
                return "FieldCodec.describeRecords(" + a + ")";
            default:
                return a;
        }
    }
}

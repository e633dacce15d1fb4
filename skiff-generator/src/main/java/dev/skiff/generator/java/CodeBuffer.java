package dev.skiff.generator.java;

/**
 * Accumulates generated Java source with four-space indentation.
 *
 * <p>{@link #open} and {@link #close} keep braces and indentation in step, so writers never count
 * spaces themselves.
 */
public final class CodeBuffer {
    private static final String INDENT = "    ";

    private final StringBuilder out = new StringBuilder();
    private int depth;

    /**
     * Appends a line at the current indentation; {@code %s} placeholders are filled from args. A
     * {@code \n} in the text continues the statement on a further line, indented one more level.
     */
    public CodeBuffer line(String format, Object... args) {
        final String text = args.length == 0 ? format : String.format(format, args);
        boolean first = true;
        for (String part : text.split("\n", -1)) {
            if (!part.isEmpty()) {
                out.append(INDENT.repeat(first ? depth : depth + 1)).append(part);
            }
            out.append('\n');
            first = false;
        }
        return this;
    }

    /** An empty line. */
    public CodeBuffer blank() {
        out.append('\n');
        return this;
    }

    /** Appends {@code header {} and indents what follows. */
    public CodeBuffer open(String format, Object... args) {
        line((args.length == 0 ? format : String.format(format, args)) + " {");
        depth++;
        return this;
    }

    /** Closes a block opened with {@link #open}. */
    public CodeBuffer close() {
        depth--;
        return line("}");
    }

    /** Closes a block and opens the next on the same line, e.g. {@code "} else {"}. */
    public CodeBuffer closeOpen(String format, Object... args) {
        depth--;
        line("} " + (args.length == 0 ? format : String.format(format, args)) + " {");
        depth++;
        return this;
    }

    /** Opens a bare block, used to scope the locals of one field's code. */
    public CodeBuffer block() {
        line("{");
        depth++;
        return this;
    }

    public CodeBuffer indent() {
        depth++;
        return this;
    }

    public CodeBuffer outdent() {
        depth--;
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}

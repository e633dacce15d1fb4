package dev.skiff.generator.spec;

import java.util.List;
import java.util.Objects;

/**
 * One field of a message or struct, as declared in a spec file.
 *
 * <p>A field is <em>present</em> in {@link #versions()}; within those it is <em>tagged</em> (sent in the
 * tagged-field section at the end of its struct, and only when it differs from its default) in
 * {@link #taggedVersions()}, and otherwise sent in declaration order.
 */
public final class FieldSpec {
    private final String name;
    private final FieldType type;
    private final Versions versions;
    private final Versions nullableVersions;
    private final Versions taggedVersions;
    private final Integer tag;
    private final boolean ignorable;
    private final String defaultValue;
    private final boolean zeroCopy;
    private final Versions flexibleVersions;
    private final String about;
    private final List<FieldSpec> fields;

    /**
     * Creates a field and checks that its attributes fit together.
     *
     * @param defaultValue the spec's {@code default} as text, or "" when the spec has none
     * @param flexibleVersions a field-level override of the message's flexible versions, or {@code null}
     * @param fields the inline struct fields for struct and struct-array types, else empty
     */
    public FieldSpec(String name, FieldType type, Versions versions, Versions nullableVersions,
                     Versions taggedVersions, Integer tag, boolean ignorable, String defaultValue,
                     boolean zeroCopy, Versions flexibleVersions, String about, List<FieldSpec> fields) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.versions = Objects.requireNonNull(versions, "versions");
        this.nullableVersions = Objects.requireNonNull(nullableVersions, "nullableVersions");
        this.taggedVersions = Objects.requireNonNull(taggedVersions, "taggedVersions");
        this.tag = tag;
        this.ignorable = ignorable;
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.zeroCopy = zeroCopy;
        this.flexibleVersions = flexibleVersions;
        this.about = about == null ? "" : about;
        this.fields = List.copyOf(fields);
        validate();
    }

    private void validate() {
        if (!name.matches("[A-Za-z][A-Za-z0-9]*")) {
            throw new IllegalArgumentException("field name is not a Java identifier: " + name);
        }
        if (!nullableVersions.isEmpty() && !type.canBeNull()) {
            throw new IllegalArgumentException("field " + name + " of type " + type + " cannot be nullable");
        }
        if ((tag == null) != taggedVersions.isEmpty()) {
            throw new IllegalArgumentException("field " + name
                + " must have both a tag and taggedVersions, or neither");
        }
        if (tag != null && tag < 0) {
            throw new IllegalArgumentException("field " + name + " has a negative tag");
        }
        if (tag != null && taggedVersions.highest() != Versions.MAX) {
            throw new IllegalArgumentException("field " + name + " has closed taggedVersions " + taggedVersions);
        }
        if (tag != null && type.kind() == FieldType.Kind.RECORDS) {
            throw new IllegalArgumentException("records field " + name + " cannot be tagged");
        }
        if (zeroCopy && type.kind() != FieldType.Kind.BYTES) {
            throw new IllegalArgumentException("zeroCopy on non-bytes field " + name);
        }
        if (!fields.isEmpty() && !type.refersToStruct()) {
            throw new IllegalArgumentException("field " + name + " of type " + type + " cannot declare fields");
        }
        if (defaultValue.equals("null") && !nullableVersions.contains(versions)) {
            throw new IllegalArgumentException("field " + name
                + " defaults to null but is not nullable in all versions");
        }
    }

    /** The spec name, in UpperCamel as the files write it (e.g. {@code TopicData}). */
    public String name() {
        return name;
    }

    public FieldType type() {
        return type;
    }

    public Versions versions() {
        return versions;
    }

    public Versions nullableVersions() {
        return nullableVersions;
    }

    public Versions taggedVersions() {
        return taggedVersions;
    }

    /** The tag number, or {@code null} for fields that are never tagged. */
    public Integer tag() {
        return tag;
    }

    /** Whether a non-default value may be dropped silently when writing a version that lacks the field. */
    public boolean ignorable() {
        return ignorable;
    }

    /** The default as written in the spec, or "" for the type's natural default. */
    public String defaultValue() {
        return defaultValue;
    }

    public boolean zeroCopy() {
        return zeroCopy;
    }

    /** The field's flexible versions: its own override if it has one, else the message's. */
    public Versions flexibleVersions(Versions messageFlexible) {
        return flexibleVersions != null ? flexibleVersions : messageFlexible;
    }

    public String about() {
        return about;
    }

    /** Inline struct fields (for struct or struct-array types declared in place); empty otherwise. */
    public List<FieldSpec> fields() {
        return fields;
    }

    @Override
    public String toString() {
        return name + ":" + type + "@" + versions;
    }
}

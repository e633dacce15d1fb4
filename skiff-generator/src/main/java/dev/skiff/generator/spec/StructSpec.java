package dev.skiff.generator.spec;

import java.util.List;
import java.util.Objects;

/**
 * A struct that becomes one generated class: a message's top level, an inline struct, or a common struct.
 *
 * <p>{@link #versions()} is the range of versions in which the struct can appear; generated code
 * simplifies version checks against it.
 */
public final class StructSpec {
    private final String name;
    private final List<FieldSpec> fields;
    private final Versions versions;

    public StructSpec(String name, List<FieldSpec> fields, Versions versions) {
        this.name = Objects.requireNonNull(name, "name");
        this.fields = List.copyOf(fields);
        this.versions = Objects.requireNonNull(versions, "versions");
    }

    public String name() {
        return name;
    }

    public List<FieldSpec> fields() {
        return fields;
    }

    public Versions versions() {
        return versions;
    }

    /** The same struct known to appear in a wider range of versions. */
    public StructSpec withVersions(Versions wider) {
        return new StructSpec(name, fields, wider);
    }

    @Override
    public String toString() {
        return name + fields;
    }
}

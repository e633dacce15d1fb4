package dev.skiff.generator.java;

import dev.skiff.generator.spec.FieldSpec;
import dev.skiff.generator.spec.StructSpec;
import dev.skiff.generator.spec.Versions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One generated class: a struct with its fields' code and the versions it can appear in. */
final class StructInfo {
    private final String className;
    private final Versions versions;
    private final Versions flexible;
    private final List<FieldCode> fields = new ArrayList<>();
    private final List<FieldCode> taggedByTag = new ArrayList<>();
    private final boolean topLevel;

    StructInfo(String className, StructSpec struct, Versions messageFlexible, boolean topLevel) {
        this.className = className;
        this.versions = struct.versions();
        this.flexible = messageFlexible;
        this.topLevel = topLevel;
        final Set<Integer> tags = new HashSet<>();
        final Set<String> names = new HashSet<>();
        for (FieldSpec f : struct.fields()) {
            final FieldCode code = new FieldCode(f, versions, messageFlexible);
            if (!names.add(code.name())) {
                throw new IllegalArgumentException(className + ": duplicate field " + f.name());
            }
            fields.add(code);
            if (f.tag() != null) {
                if (!tags.add(f.tag())) {
                    throw new IllegalArgumentException(className + ": duplicate tag " + f.tag());
                }
                if (code.everTagged()) {
                    taggedByTag.add(code);
                }
            }
        }
        taggedByTag.sort(Comparator.comparing(FieldCode::tag));
    }

    String className() {
        return className;
    }

    /** The versions this struct can appear in. */
    Versions versions() {
        return versions;
    }

    /** The message's flexible versions. */
    Versions flexible() {
        return flexible;
    }

    List<FieldCode> fields() {
        return fields;
    }

    /** Fields sent as tagged fields in some version of this struct, by ascending tag. */
    List<FieldCode> taggedFields() {
        return taggedByTag;
    }

    boolean topLevel() {
        return topLevel;
    }

    /** The test for "this version has a tagged-field section". */
    String flexibleCondition() {
        return VersionCondition.of(flexible, versions);
    }
}

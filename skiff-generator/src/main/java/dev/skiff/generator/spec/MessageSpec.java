package dev.skiff.generator.spec;

import java.util.List;
import java.util.Objects;

/**
 * One spec file: a request, response, header or data message with its versions and fields.
 */
public final class MessageSpec {
    private final String name;
    private final MessageKind kind;
    private final short apiKey;
    private final Versions validVersions;
    private final Versions flexibleVersions;
    private final boolean latestVersionUnstable;
    private final List<FieldSpec> fields;
    private final List<StructSpec> commonStructs;

    public MessageSpec(String name, MessageKind kind, short apiKey, Versions validVersions,
                       Versions flexibleVersions, boolean latestVersionUnstable, List<FieldSpec> fields,
                       List<StructSpec> commonStructs) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.apiKey = apiKey;
        this.validVersions = Objects.requireNonNull(validVersions, "validVersions");
        this.flexibleVersions = Objects.requireNonNull(flexibleVersions, "flexibleVersions");
        this.latestVersionUnstable = latestVersionUnstable;
        this.fields = List.copyOf(fields);
        this.commonStructs = List.copyOf(commonStructs);
        if ((kind == MessageKind.REQUEST || kind == MessageKind.RESPONSE) && apiKey < 0) {
            throw new IllegalArgumentException(name + " is a " + kind + " without an apiKey");
        }
        if (!name.matches("[A-Z][A-Za-z0-9]*")) {
            throw new IllegalArgumentException("message name is not a Java identifier: " + name);
        }
    }

    /** The spec name, e.g. {@code ProduceRequest}. */
    public String name() {
        return name;
    }

    /** The generated class: the spec name plus {@code Data}, e.g. {@code ProduceRequestData}. */
    public String className() {
        return name + "Data";
    }

    public MessageKind kind() {
        return kind;
    }

    /** The API key, or -1 for headers and data messages. */
    public short apiKey() {
        return apiKey;
    }

    public Versions validVersions() {
        return validVersions;
    }

    public Versions flexibleVersions() {
        return flexibleVersions;
    }

    public boolean latestVersionUnstable() {
        return latestVersionUnstable;
    }

    public List<FieldSpec> fields() {
        return fields;
    }

    public List<StructSpec> commonStructs() {
        return commonStructs;
    }

    /** The top-level struct: the message's own fields over its valid versions. */
    public StructSpec topLevel() {
        return new StructSpec(className(), fields, validVersions);
    }

    @Override
    public String toString() {
        return name + "(" + kind + ", " + validVersions + ")";
    }
}

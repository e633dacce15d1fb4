package dev.skiff.generator.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds every struct a message needs as a nested class, and the versions each can appear in.
 *
 * <p>Inline structs appear where their field is present; common structs may be used from several
 * places, so they are given the message's whole valid range. A struct whose field is present in no
 * valid version (its versions were all removed) keeps the field's own range so its class still
 * compiles; it is simply never sent.
 */
public final class StructRegistry {
    private final MessageSpec message;
    private final Map<String, StructSpec> structs = new LinkedHashMap<>();
    private final Map<String, StructSpec> common = new LinkedHashMap<>();

    private StructRegistry(MessageSpec message) {
        this.message = message;
    }

    /** The nested structs of {@code message}, in a stable order (first use first). */
    public static List<StructSpec> nestedStructs(MessageSpec message) {
        final StructRegistry registry = new StructRegistry(message);
        for (StructSpec s : message.commonStructs()) {
            if (registry.common.put(s.name(), s.withVersions(message.validVersions())) != null) {
                throw new IllegalArgumentException(message.name() + ": duplicate common struct " + s.name());
            }
        }
        registry.walk(message.fields(), message.validVersions());
        for (StructSpec s : registry.common.values()) {
            registry.register(s);
            registry.walk(s.fields(), s.versions());
        }
        return new ArrayList<>(registry.structs.values());
    }

    private void walk(List<FieldSpec> fields, Versions context) {
        for (FieldSpec field : fields) {
            if (!field.type().refersToStruct()) {
                continue;
            }
            final String name = field.type().structName();
            if (field.fields().isEmpty()) {
                if (!common.containsKey(name)) {
                    throw new IllegalArgumentException(message.name() + ": field " + field.name()
                        + " uses struct " + name + ", which is neither declared inline nor a common struct");
                }
                continue;
            }
            if (common.containsKey(name)) {
                throw new IllegalArgumentException(message.name() + ": inline struct " + name
                    + " has the name of a common struct");
            }
            Versions present = field.versions().intersect(context);
            if (present.isEmpty()) {
                present = field.versions();
            }
            register(new StructSpec(name, field.fields(), present));
            walk(field.fields(), present);
        }
    }

    private void register(StructSpec struct) {
        if (struct.name().equals(message.className())) {
            throw new IllegalArgumentException(message.name() + ": struct " + struct.name()
                + " has the name of the message class");
        }
        final StructSpec previous = structs.get(struct.name());
        if (previous == null) {
            structs.put(struct.name(), struct);
        } else if (previous.fields() == struct.fields() || previous.fields().equals(struct.fields())) {
            structs.put(struct.name(), struct.withVersions(previous.versions().span(struct.versions())));
        } else {
            throw new IllegalArgumentException(message.name() + ": struct " + struct.name()
                + " is declared twice with different fields");
        }
    }
}

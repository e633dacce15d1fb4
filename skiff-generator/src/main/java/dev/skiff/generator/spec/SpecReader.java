package dev.skiff.generator.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads Kafka's JSON message specs (JSON with {@code //} comments) into {@link MessageSpec}s.
 *
 * <p>Unknown keys are rejected rather than ignored: a new key in a future spec could change the wire
 * format, and a generator that silently skipped it would produce a codec that looks right but is not.
 */
public final class SpecReader {
    private static final Set<String> MESSAGE_KEYS = Set.of("apiKey", "type", "listeners", "name",
        "validVersions", "flexibleVersions", "fields", "commonStructs", "latestVersionUnstable",
        "deprecatedVersions");
    private static final Set<String> FIELD_KEYS = Set.of("name", "type", "versions", "nullableVersions",
        "taggedVersions", "tag", "ignorable", "default", "zeroCopy", "flexibleVersions", "about", "fields",
        "entityType", "mapKey");
    private static final Set<String> STRUCT_KEYS = Set.of("name", "versions", "fields");

    private final ObjectMapper mapper;

    public SpecReader() {
        mapper = new ObjectMapper();
        mapper.configure(JsonParser.Feature.ALLOW_COMMENTS, true);
    }

    /** Reads one spec file. */
    public MessageSpec read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Reads one spec from a stream; {@code source} names it in error messages. */
    public MessageSpec read(InputStream in, String source) throws IOException {
        final JsonNode root = mapper.readTree(in);
        try {
            return message(root);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private MessageSpec message(JsonNode node) {
        checkKeys(node, MESSAGE_KEYS, "message");
        final String name = text(node, "name", null);
        final MessageKind kind = MessageKind.parse(text(node, "type", null));
        final short apiKey = node.has("apiKey") ? (short) node.get("apiKey").asInt() : -1;
        final Versions valid = Versions.parse(text(node, "validVersions", null), null);
        if (valid == null) {
            throw new IllegalArgumentException("missing validVersions");
        }
        final Versions flexible = Versions.parse(text(node, "flexibleVersions", null), Versions.NONE);
        final boolean unstable = node.path("latestVersionUnstable").asBoolean(false);
        final List<FieldSpec> fields = fields(node.get("fields"));
        final List<StructSpec> common = new ArrayList<>();
        final JsonNode commonNode = node.get("commonStructs");
        if (commonNode != null) {
            for (JsonNode s : commonNode) {
                checkKeys(s, STRUCT_KEYS, "common struct");
                final Versions versions = Versions.parse(text(s, "versions", null), Versions.ALL);
                common.add(new StructSpec(text(s, "name", null), fields(s.get("fields")), versions));
            }
        }
        return new MessageSpec(name, kind, apiKey, valid, flexible, unstable, fields, common);
    }

    private List<FieldSpec> fields(JsonNode array) {
        final List<FieldSpec> result = new ArrayList<>();
        if (array == null) {
            return result;
        }
        for (JsonNode f : array) {
            checkKeys(f, FIELD_KEYS, "field");
            final String name = text(f, "name", null);
            try {
                final Versions versions = Versions.parse(text(f, "versions", null), null);
                if (versions == null) {
                    throw new IllegalArgumentException("missing versions");
                }
                final String flexText = text(f, "flexibleVersions", null);
                result.add(new FieldSpec(
                    name,
                    FieldType.parse(text(f, "type", null)),
                    versions,
                    Versions.parse(text(f, "nullableVersions", null), Versions.NONE),
                    Versions.parse(text(f, "taggedVersions", null), Versions.NONE),
                    f.has("tag") ? f.get("tag").asInt() : null,
                    f.path("ignorable").asBoolean(false),
                    f.has("default") ? f.get("default").asText() : "",
                    f.path("zeroCopy").asBoolean(false),
                    flexText == null ? null : Versions.parse(flexText, null),
                    text(f, "about", ""),
                    fields(f.get("fields"))));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("field " + name + ": " + e.getMessage(), e);
            }
        }
        return result;
    }

    private static String text(JsonNode node, String key, String absent) {
        final JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (absent == null && !key.endsWith("Versions") && !key.equals("versions")) {
                throw new IllegalArgumentException("missing " + key);
            }
            return absent;
        }
        return value.asText();
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String what) {
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            final String key = names.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown " + what + " key '" + key + "'");
            }
        }
    }
}

package dev.skiff.protocol.message;

import dev.skiff.generator.spec.FieldSpec;
import dev.skiff.generator.spec.FieldType;
import dev.skiff.generator.spec.MessageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Random message content for one spec and version, in a neutral form that {@link ReflectiveBuilder} turns
 * into either Kafka's generated object or ours.
 *
 * <p>Only fields present in the version are set; tagged fields are sometimes left at their default (so
 * both the "omitted" and "sent" paths run); nullable fields are sometimes null; flexible structs
 * sometimes carry unknown tagged fields, which both codecs must carry through.
 */
final class RandomTree {
    /** Struct content: spec field name to value, plus unknown tagged fields (tag to payload). */
    record StructValue(Map<String, Object> values, Map<Integer, byte[]> unknownTags) {
    }

    /** A records field's bytes (not a real batch: neither codec parses records). */
    record RecordsValue(byte[] bytes) {
    }

    private static final String ALPHABET = "abcXYZ09-_.é€中";

    private final MessageSpec spec;
    private final Map<String, List<FieldSpec>> common;
    private final Random rnd;

    RandomTree(MessageSpec spec, long seed) {
        this.spec = spec;
        this.common = SpecCatalog.commonStructs(spec);
        this.rnd = new Random(seed);
    }

    StructValue message(short version) {
        return struct(spec.fields(), version, 0);
    }

    private StructValue struct(List<FieldSpec> fields, short version, int depth) {
        final Map<String, Object> values = new LinkedHashMap<>();
        int maxTag = -1;
        for (FieldSpec f : fields) {
            if (f.tag() != null) {
                maxTag = Math.max(maxTag, f.tag());
            }
            if (!f.versions().contains(version)) {
                continue;
            }
            if (f.taggedVersions().contains(version) && rnd.nextInt(4) == 0) {
                continue;
            }
            if (f.nullableVersions().contains(version) && rnd.nextInt(6) == 0) {
                values.put(f.name(), null);
                continue;
            }
            values.put(f.name(), value(f, f.type(), version, depth));
        }
        final Map<Integer, byte[]> unknown = new LinkedHashMap<>();
        if (spec.flexibleVersions().contains(version) && rnd.nextInt(5) == 0) {
            // Tags above every known one, ascending, as a real newer peer would send them.
            int tag = maxTag + 1 + rnd.nextInt(3);
            for (int i = rnd.nextInt(2); i >= 0; i--) {
                unknown.put(tag, bytes(4));
                tag += 1 + rnd.nextInt(200);
            }
        }
        return new StructValue(values, unknown);
    }

    private Object value(FieldSpec f, FieldType type, short version, int depth) {
        switch (type.kind()) {
            case BOOL:
                return rnd.nextBoolean();
            case INT8:
                return (byte) rnd.nextInt();
            case INT16:
                return (short) rnd.nextInt();
            case UINT16:
                return rnd.nextInt(0x10000);
            case INT32:
                return rnd.nextInt(4) == 0 ? -1 : rnd.nextInt();
            case UINT32:
                return rnd.nextLong() & 0xFFFFFFFFL;
            case INT64:
                return rnd.nextInt(4) == 0 ? -1L : rnd.nextLong();
            case FLOAT64:
                return rnd.nextInt(4) == 0 ? 0.0 : rnd.nextDouble() * 1e6 - 5e5;
            case UUID:
                return rnd.nextInt(5) == 0 ? new UUID(0, 0) : new UUID(rnd.nextLong(), rnd.nextLong());
            case STRING:
                return string();
            case BYTES:
                return bytes(12);
            case RECORDS:
                return new RecordsValue(bytes(40));
            case STRUCT:
                return struct(structFields(f, type), version, depth + 1);
            case ARRAY:
                final List<Object> list = new ArrayList<>();
                final int n = depth > 3 ? rnd.nextInt(2) : rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    list.add(value(f, type.element(), version, depth + 1));
                }
                return list;
            default:
                throw new IllegalStateException(type.toString());
        }
    }

    private List<FieldSpec> structFields(FieldSpec f, FieldType type) {
        if (!f.fields().isEmpty()) {
            return f.fields();
        }
        final List<FieldSpec> fields = common.get(type.structName());
        if (fields == null) {
            throw new IllegalStateException(spec.name() + ": no struct " + type.structName());
        }
        return fields;
    }

    private String string() {
        final int n = rnd.nextInt(9);
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(10) == 0) {
                b.appendCodePoint(0x1F600 + rnd.nextInt(50));
            } else {
                b.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
            }
        }
        return b.toString();
    }

    private byte[] bytes(int max) {
        final byte[] b = new byte[rnd.nextInt(max + 1)];
        rnd.nextBytes(b);
        return b;
    }
}

package dev.skiff.protocol.message;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds a generated message object, Kafka's or ours, from a {@link RandomTree} value by calling its
 * setters reflectively. Both code bases name setters {@code set<FieldName>}, which is what makes one
 * random value usable for both.
 */
final class ReflectiveBuilder {
    /** Whose generated classes are being built. */
    enum Flavor { KAFKA, SKIFF }

    private final Flavor flavor;

    ReflectiveBuilder(Flavor flavor) {
        this.flavor = flavor;
    }

    Object build(Class<?> type, RandomTree.StructValue value) throws ReflectiveOperationException {
        final Object target = type.getConstructor().newInstance();
        for (Map.Entry<String, Object> e : value.values().entrySet()) {
            final Method setter = setter(type, "set" + Character.toUpperCase(e.getKey().charAt(0))
                + e.getKey().substring(1));
            setter.invoke(target, convert(e.getValue(), setter.getParameterTypes()[0],
                setter.getGenericParameterTypes()[0]));
        }
        if (!value.unknownTags().isEmpty()) {
            @SuppressWarnings("unchecked")
            final List<Object> raw = (List<Object>) type.getMethod("unknownTaggedFields").invoke(target);
            for (Map.Entry<Integer, byte[]> tag : value.unknownTags().entrySet()) {
                raw.add(flavor == Flavor.KAFKA
                    ? new org.apache.kafka.common.protocol.types.RawTaggedField(tag.getKey(), tag.getValue())
                    : new dev.skiff.protocol.RawTaggedField(tag.getKey(), tag.getValue()));
            }
        }
        return target;
    }

    private static Method setter(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1) {
                return m;
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no setter " + name);
    }

    private Object convert(Object value, Class<?> type, Type generic) throws ReflectiveOperationException {
        if (value == null) {
            return null;
        }
        if (value instanceof RandomTree.StructValue) {
            return build(type, (RandomTree.StructValue) value);
        }
        if (value instanceof RandomTree.RecordsValue) {
            final ByteBuffer bytes = ByteBuffer.wrap(((RandomTree.RecordsValue) value).bytes());
            return flavor == Flavor.KAFKA
                ? org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(bytes)
                : dev.skiff.protocol.record.MemoryRecords.readableRecords(bytes);
        }
        if (value instanceof UUID) {
            final UUID u = (UUID) value;
            return flavor == Flavor.KAFKA
                ? new org.apache.kafka.common.Uuid(u.getMostSignificantBits(), u.getLeastSignificantBits()) : u;
        }
        if (value instanceof byte[] && type == ByteBuffer.class) {
            return ByteBuffer.wrap((byte[]) value);
        }
        if (value instanceof List) {
            return collection((List<?>) value, type, generic);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private Object collection(List<?> values, Class<?> type, Type generic) throws ReflectiveOperationException {
        final Collection<Object> result;
        final Type elementType;
        if (type.isInterface()) {
            result = new ArrayList<>();
            elementType = ((ParameterizedType) generic).getActualTypeArguments()[0];
        } else {
            // Kafka's keyed collections (mapKey) are concrete classes with the element as type argument.
            result = (Collection<Object>) type.getConstructor().newInstance();
            elementType = ((ParameterizedType) type.getGenericSuperclass()).getActualTypeArguments()[0];
        }
        final Class<?> elementClass = (Class<?>) elementType;
        for (Object v : values) {
            result.add(convert(v, elementClass, elementClass));
        }
        return result;
    }
}

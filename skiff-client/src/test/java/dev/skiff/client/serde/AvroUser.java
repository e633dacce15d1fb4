package dev.skiff.client.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A hand-written stand-in for an avro-maven-plugin generated class: what AvroSerializer must handle as a
 * SpecificRecord. Field order in get/put follows SCHEMA$.
 */
public class AvroUser extends SpecificRecordBase {
    public static final Schema SCHEMA$ = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"AvroUser\","
            + "\"namespace\":\"dev.skiff.client.serde\",\"fields\":[{\"name\":\"name\",\"type\":{\"type\":\"string\","
            + "\"avro.java.string\":\"String\"}},{\"name\":\"age\",\"type\":\"int\"}]}");

    private static final SpecificData MODEL = new SpecificData();

    private String name;
    private int age;

    /** Avro's SpecificData instantiates records through this. */
    public AvroUser() {
    }

    public AvroUser(final String name, final int age) {
        this.name = name;
        this.age = age;
    }

    public static Schema getClassSchema() {
        return SCHEMA$;
    }

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public SpecificData getSpecificData() {
        return MODEL;
    }

    @Override
    public Object get(final int field) {
        return switch (field) {
            case 0 -> name;
            case 1 -> age;
            default -> throw new IndexOutOfBoundsException("Invalid index: " + field);
        };
    }

    @Override
    public void put(final int field, final Object value) {
        switch (field) {
            case 0 -> name = value == null ? null : value.toString();
            case 1 -> age = (Integer) value;
            default -> throw new IndexOutOfBoundsException("Invalid index: " + field);
        }
    }

    public String getName() {
        return name;
    }

    public int getAge() {
        return age;
    }
}

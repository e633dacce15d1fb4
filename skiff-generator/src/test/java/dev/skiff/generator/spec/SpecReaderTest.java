package dev.skiff.generator.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecReaderTest {
    private static final String SPEC = String.join("\n",
        "// A licence header in comments, as Kafka's files have.",
        "{",
        "  \"apiKey\": 77, \"type\": \"request\", \"name\": \"ExampleRequest\",",
        "  \"validVersions\": \"0-3\", \"flexibleVersions\": \"2+\",",
        "  // Comments inside the object too.",
        "  \"fields\": [",
        "    { \"name\": \"MaxBytes\", \"type\": \"int32\", \"versions\": \"0+\", \"default\": \"0x7fffffff\" },",
        "    { \"name\": \"Topics\", \"type\": \"[]Topic\", \"versions\": \"0+\", \"nullableVersions\": \"1+\",",
        "      \"fields\": [ { \"name\": \"Name\", \"type\": \"string\", \"versions\": \"0+\", \"mapKey\": true },",
        "                  { \"name\": \"Leader\", \"type\": \"Leader\", \"versions\": \"1+\" } ] },",
        "    { \"name\": \"ClusterId\", \"type\": \"string\", \"versions\": \"2+\", \"nullableVersions\": \"2+\",",
        "      \"default\": \"null\", \"taggedVersions\": \"2+\", \"tag\": 0, \"ignorable\": true }",
        "  ],",
        "  \"commonStructs\": [ { \"name\": \"Leader\", \"versions\": \"0+\", \"fields\": [",
        "    { \"name\": \"Id\", \"type\": \"int32\", \"versions\": \"0+\" } ] } ]",
        "}");

    private static MessageSpec read(String json) throws IOException {
        return new SpecReader().read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    @Test
    void readsSpecsWithComments() throws IOException {
        final MessageSpec spec = read(SPEC);
        assertThat(spec.name()).isEqualTo("ExampleRequest");
        assertThat(spec.className()).isEqualTo("ExampleRequestData");
        assertThat(spec.kind()).isEqualTo(MessageKind.REQUEST);
        assertThat(spec.apiKey()).isEqualTo((short) 77);
        assertThat(spec.flexibleVersions()).isEqualTo(Versions.parse("2+", null));
        final FieldSpec clusterId = spec.fields().get(2);
        assertThat(clusterId.tag()).isZero();
        assertThat(clusterId.ignorable()).isTrue();
        assertThat(clusterId.defaultValue()).isEqualTo("null");
        assertThat(spec.fields().get(0).defaultValue()).isEqualTo("0x7fffffff");
        assertThat(spec.fields().get(1).type().structName()).isEqualTo("Topic");
    }

    @Test
    void findsInlineAndCommonStructsWithTheirVersions() throws IOException {
        final List<StructSpec> structs = StructRegistry.nestedStructs(read(SPEC));
        assertThat(structs).extracting(StructSpec::name).containsExactly("Topic", "Leader");
        assertThat(structs.get(0).versions()).isEqualTo(Versions.of(0, 3));
        assertThat(structs.get(1).versions()).isEqualTo(Versions.of(0, 3));
    }

    @Test
    void rejectsUnknownKeysRatherThanIgnoringThem() {
        assertThatThrownBy(() -> read(SPEC.replace("\"mapKey\": true", "\"mapKey\": true, \"newThing\": 1")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("newThing");
    }

    @Test
    void rejectsInconsistentFields() {
        assertThatThrownBy(() -> read(SPEC.replace("\"default\": \"0x7fffffff\"", "\"nullableVersions\": \"0+\"")))
            .hasMessageContaining("cannot be nullable");
        assertThatThrownBy(() -> read(SPEC.replace("\"taggedVersions\": \"2+\", \"tag\": 0,", "\"tag\": 0,")))
            .hasMessageContaining("tag");
        assertThatThrownBy(() -> StructRegistry.nestedStructs(read(SPEC.replace("\"name\": \"Leader\", \"versions\"",
            "\"name\": \"Other\", \"versions\"")))).hasMessageContaining("Leader");
    }
}

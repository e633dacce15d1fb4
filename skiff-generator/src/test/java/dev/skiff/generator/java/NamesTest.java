package dev.skiff.generator.java;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void constantNamesSplitWordsLikeKafka() {
        assertThat(Names.upperSnake("Produce")).isEqualTo("PRODUCE");
        assertThat(Names.upperSnake("ApiVersions")).isEqualTo("API_VERSIONS");
        assertThat(Names.upperSnake("DescribeTopicPartitions")).isEqualTo("DESCRIBE_TOPIC_PARTITIONS");
        assertThat(Names.upperSnake("StreamsGroupTopologyDescriptionUpdate"))
            .isEqualTo("STREAMS_GROUP_TOPOLOGY_DESCRIPTION_UPDATE");
        assertThat(Names.upperSnake("SASLHandshake")).isEqualTo("SASL_HANDSHAKE");
    }

    @Test
    void accessorNames() {
        assertThat(Names.lowerCamel("TopicData")).isEqualTo("topicData");
        assertThat(Names.lowerCamel("validateOnly")).isEqualTo("validateOnly");
        assertThat(Names.upperCamel("validateOnly")).isEqualTo("ValidateOnly");
    }

    @Test
    void literalsAndJavadocAreEscaped() {
        assertThat(Names.stringLiteral("a\"b\\c\n\u00e9")).isEqualTo("\"a\\\"b\\\\c\\n\\u00e9\"");
        assertThat(Names.javadoc("x < y */ @see")).isEqualTo("x &lt; y *&#47; &#64;see");
    }
}

package dev.skiff.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.internal.ConfigKey;
import dev.skiff.broker.internal.cluster.TopicConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference (docs/configuration.md) names every broker key and every topic key Skiff reads,
 * so a key added without a line in the docs fails the build.
 */
class ConfigurationDocsTest {
    private static String doc() throws Exception {
        return Files.readString(Path.of("..", "docs", "configuration.md"));
    }

    @Test
    void everyBrokerKeyIsDocumented() throws Exception {
        final String doc = doc();
        assertThat(BrokerConfig.KEYS).isNotEmpty().extracting(ConfigKey::name)
                .allSatisfy(key -> assertThat(doc).as("broker key %s documented", key).contains("`" + key + "`"));
    }

    @Test
    void everyTopicKeyIsDocumentedInTheTopicSection() throws Exception {
        final String doc = doc();
        final int start = doc.indexOf("\n## Topic");
        assertThat(start).as("docs/configuration.md has a Topic section").isNotNegative();
        final int end = doc.indexOf("\n## ", start + 1);
        final String topic = end < 0 ? doc.substring(start) : doc.substring(start, end);
        assertThat(TopicConfigs.ENTRIES).isNotEmpty().extracting(e -> e.key().name())
                .allSatisfy(key -> assertThat(topic).as("topic key %s documented", key).contains("`" + key + "`"));
    }
}

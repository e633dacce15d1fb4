package dev.skiff.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.client.consumer.ConsumerConfig;
import dev.skiff.client.producer.ProducerConfig;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference (docs/configuration.md) names every key the producer and the consumer accept, so
 * a key added to a config class without a line in the docs fails the build.
 */
class ConfigurationDocsTest {
    private static String section(String heading) throws IOException {
        final String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        final int start = doc.indexOf("\n## " + heading);
        assertThat(start).as("docs/configuration.md has a section '%s'", heading).isNotNegative();
        final int end = doc.indexOf("\n## ", start + 1);
        return end < 0 ? doc.substring(start) : doc.substring(start, end);
    }

    /** The values of the public String constants: each config class declares its keys that way. */
    private static List<String> keys(Class<?> config) throws IllegalAccessException {
        final List<String> keys = new ArrayList<>();
        for (Field f : config.getFields()) {
            final int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == String.class) {
                keys.add((String) f.get(null));
            }
        }
        return keys;
    }

    @Test
    void everyProducerKeyIsDocumented() throws Exception {
        final String producer = section("Producer");
        assertThat(keys(ProducerConfig.class)).isNotEmpty()
                .allSatisfy(key -> assertThat(producer).as("producer key %s documented", key).contains("`" + key + "`"));
    }

    @Test
    void everyConsumerKeyIsDocumented() throws Exception {
        final String consumer = section("Consumer");
        assertThat(keys(ConsumerConfig.class)).isNotEmpty()
                .allSatisfy(key -> assertThat(consumer).as("consumer key %s documented", key).contains("`" + key + "`"));
    }
}

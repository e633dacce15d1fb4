package dev.skiff.protocol.message;

import dev.skiff.generator.spec.FieldSpec;
import dev.skiff.generator.spec.MessageKind;
import dev.skiff.generator.spec.MessageSpec;
import dev.skiff.generator.spec.SpecReader;
import dev.skiff.generator.spec.StructSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The message specs inside the kafka-clients jar on the test classpath, read with the generator's own
 * reader, so tests walk exactly the specs the build generated code from.
 */
final class SpecCatalog {
    private static List<MessageSpec> specs;

    private SpecCatalog() {
    }

    static synchronized List<MessageSpec> all() {
        if (specs == null) {
            specs = Collections.unmodifiableList(load());
        }
        return specs;
    }

    static MessageSpec named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no spec " + name));
    }

    private static List<MessageSpec> load() {
        final Path jar;
        try {
            jar = Path.of(org.apache.kafka.common.message.ApiMessageType.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        final SpecReader reader = new SpecReader();
        final List<MessageSpec> result = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            final Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                final ZipEntry e = entries.nextElement();
                if (e.getName().startsWith("common/message/") && e.getName().endsWith(".json")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        result.add(reader.read(in, e.getName()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        result.sort((a, b) -> a.name().compareTo(b.name()));
        return result;
    }

    /** Kafka's generated class name: data specs keep their name, the others gain "Data". */
    static String kafkaClassName(MessageSpec spec) {
        final String simple = spec.kind() == MessageKind.DATA ? spec.name() : spec.name() + "Data";
        return "org.apache.kafka.common.message." + simple;
    }

    static String skiffClassName(MessageSpec spec) {
        return "dev.skiff.protocol.message." + spec.className();
    }

    /** The fields of every struct a message names without declaring inline: its common structs. */
    static Map<String, List<FieldSpec>> commonStructs(MessageSpec spec) {
        final Map<String, List<FieldSpec>> result = new HashMap<>();
        for (StructSpec s : spec.commonStructs()) {
            result.put(s.name(), s.fields());
        }
        return result;
    }
}

package dev.skiff.cli.internal;

import dev.skiff.client.producer.ConfigException;
import dev.skiff.client.producer.ProducerConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Producer settings shared by {@code produce} and {@code perf produce} (a picocli mixin): shortcuts for
 * the common keys plus any key by its Kafka name. Later sources win: command defaults, then
 * {@code --producer.config}, then {@code --acks}/{@code --compression}, then {@code --property}.
 */
public final class ProducerOptions {
    @Option(names = "--acks", paramLabel = "ACKS", description = "all, 1 or 0 (producer acks).")
    private String acks;

    @Option(names = "--compression", paramLabel = "TYPE", description = "none, gzip, snappy, lz4 or zstd.")
    private String compression;

    @Option(names = {"-X", "--property", "--producer-property"}, paramLabel = "KEY=VALUE",
            description = "Any producer configuration by its Kafka name (repeatable), e.g. -X linger.ms=20")
    private Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--producer.config", paramLabel = "FILE", description = "A producer properties file.")
    private Path configFile;

    /**
     * The producer configuration for {@code bootstrap}.
     *
     * @param defaults the command's own defaults, overridden by anything the user gave
     * @param extra    more user settings (e.g. perf's --producer-props), applied before --property
     * @throws ConfigException for a bad key or value (the message names it)
     * @throws IOException     when the config file cannot be read
     */
    public ProducerConfig build(String bootstrap, Map<String, ?> defaults, Map<String, String> extra)
            throws IOException {
        final Map<String, Object> all = new LinkedHashMap<>(defaults);
        all.put(ProducerConfig.BOOTSTRAP_SERVERS, bootstrap);
        if (configFile != null) {
            all.putAll(readProperties(configFile));
        }
        if (acks != null) {
            all.put(ProducerConfig.ACKS, acks);
        }
        if (compression != null) {
            all.put(ProducerConfig.COMPRESSION_TYPE, compression);
        }
        all.putAll(extra);
        all.putAll(properties);
        return ProducerConfig.fromProperties(all);
    }

    /** A Java properties file as a map (shared by every command taking a config file). */
    public static Map<String, String> readProperties(Path file) throws IOException {
        final Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        final Map<String, String> m = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            m.put(name, p.getProperty(name));
        }
        return m;
    }
}

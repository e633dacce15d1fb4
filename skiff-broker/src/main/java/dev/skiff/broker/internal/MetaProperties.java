package dev.skiff.broker.internal;

import dev.skiff.broker.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;

/**
 * The identity of a log directory, in Kafka's {@code meta.properties} format: which node owns it and
 * which cluster it belongs to. Written on first start; a later start with another node id is refused
 * so two configurations never share one directory by mistake.
 */
public record MetaProperties(int nodeId, String clusterId) {
    private static final String FILE = "meta.properties";

    /** Reads the directory's identity, creating the directory and the file on first use. */
    public static MetaProperties loadOrCreate(Path logDir, int nodeId, String configuredClusterId) {
        final Path file = logDir.resolve(FILE);
        try {
            Files.createDirectories(logDir);
            if (Files.exists(file)) {
                final Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                final int storedNode = Integer.parseInt(p.getProperty("node.id", Integer.toString(nodeId)).trim());
                final String storedCluster = p.getProperty("cluster.id");
                if (storedNode != nodeId) {
                    throw ConfigException.invalid("node.id", nodeId, "the log directory " + logDir
                            + " belongs to node " + storedNode + "; use that node.id or another log.dirs");
                }
                if (configuredClusterId != null && !configuredClusterId.equals(storedCluster)) {
                    throw ConfigException.invalid("cluster.id", configuredClusterId, "the log directory " + logDir
                            + " belongs to cluster " + storedCluster);
                }
                return new MetaProperties(storedNode, storedCluster);
            }
            final String clusterId = configuredClusterId != null ? configuredClusterId : randomClusterId();
            final Properties p = new Properties();
            p.setProperty("version", "1");
            p.setProperty("node.id", Integer.toString(nodeId));
            p.setProperty("cluster.id", clusterId);
            final Path tmp = logDir.resolve(FILE + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "Skiff log directory identity");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new MetaProperties(nodeId, clusterId);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " is corrupt: " + e.getMessage(), e);
        }
    }

    /** A cluster id as Kafka makes them: a random UUID in URL-safe base64 without padding. */
    static String randomClusterId() {
        final UUID uuid = UUID.randomUUID();
        final ByteBuffer bytes = ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}

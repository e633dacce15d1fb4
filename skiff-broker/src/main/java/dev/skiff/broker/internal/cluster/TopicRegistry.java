package dev.skiff.broker.internal.cluster;

import dev.skiff.broker.BrokerConfig;
import dev.skiff.protocol.Errors;
import dev.skiff.storage.LogConfig;
import dev.skiff.storage.LogManager;
import dev.skiff.storage.PartitionLog;
import dev.skiff.storage.TopicPartition;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics this broker hosts, kept durable beside the logs.
 *
 * <p>Each topic has a descriptor {@code <log.dirs>/.skiff-topics/<topic>.properties} holding its id,
 * partition count and configuration overrides, written atomically (temp file, then rename) before
 * the topic becomes visible. The partition logs themselves are the storage layer's. Reads are
 * lock-free; create, delete and add-partitions are serialised.
 */
public final class TopicRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(TopicRegistry.class);
    private static final String DESCRIPTOR_DIR = ".skiff-topics";
    private static final int MAX_NAME_LENGTH = 249;

    private final BrokerConfig config;
    private final LogManager logs;
    private final Path descriptorDir;
    private final Map<String, Topic> byName = new ConcurrentHashMap<>();
    private final Map<UUID, Topic> byId = new ConcurrentHashMap<>();

    private TopicRegistry(BrokerConfig config, LogManager logs, Path logDir) {
        this.config = config;
        this.logs = logs;
        this.descriptorDir = logDir.resolve(DESCRIPTOR_DIR);
    }

    /** Loads every topic descriptor and attaches its partition logs, creating any that are missing. */
    public static TopicRegistry load(BrokerConfig config, LogManager logs, Path logDir) {
        final TopicRegistry registry = new TopicRegistry(config, logs, logDir);
        try {
            Files.createDirectories(registry.descriptorDir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(registry.descriptorDir, "*.properties")) {
                for (Path file : files) {
                    registry.loadDescriptor(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read topic descriptors in " + registry.descriptorDir, e);
        }
        return registry;
    }

    private void loadDescriptor(Path file) throws IOException {
        final Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        final String name = p.getProperty("name");
        final UUID id = UUID.fromString(p.getProperty("topic.id"));
        final int count = Integer.parseInt(p.getProperty("partitions"));
        final Map<String, String> overrides = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("config.")) {
                overrides.put(key.substring("config.".length()), p.getProperty(key));
            }
        }
        final List<Partition> partitions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            partitions.add(openOrCreate(new TopicPartition(name, i), overrides));
        }
        final Topic topic = new Topic(name, id, partitions, overrides);
        byName.put(name, topic);
        byId.put(id, topic);
    }

    private Partition openOrCreate(TopicPartition tp, Map<String, String> overrides) {
        final LogConfig logConfig = TopicConfigs.logConfig(config, overrides);
        PartitionLog log = logs.log(tp);
        if (log == null) {
            log = logs.createLog(tp, logConfig);
        } else {
            // Logs load with the manager's defaults; the topic's own settings apply from here on.
            log.updateConfig(logConfig);
        }
        return new Partition(tp, log);
    }

    public Topic topic(String name) {
        return name == null ? null : byName.get(name);
    }

    public Topic topic(UUID id) {
        return id == null ? null : byId.get(id);
    }

    public Collection<Topic> topics() {
        return byName.values();
    }

    /** Kafka's internal topics: the group coordinator keeps {@code __consumer_offsets} for itself. */
    public static boolean isInternal(String name) {
        return "__consumer_offsets".equals(name) || "__transaction_state".equals(name);
    }

    /** Null when {@code name} is a legal topic name, else why it is not (Kafka's rules). */
    public static String invalidNameReason(String name) {
        if (name == null || name.isEmpty()) {
            return "Topic name is illegal, it can't be empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "Topic name cannot be \".\" or \"..\"";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "Topic name is illegal, it can't be longer than " + MAX_NAME_LENGTH + " characters, topic name: "
                    + name;
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            final boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                return "Topic name \"" + name + "\" is illegal, it contains a character other than ASCII "
                        + "alphanumerics, '.', '_' and '-'";
            }
        }
        return null;
    }

    /**
     * Creates a topic, or only checks that it could be created when {@code validateOnly}.
     *
     * @throws TopicException with Kafka's error for a bad name, count, config or an existing topic
     */
    public synchronized Topic create(String name, int partitions, Map<String, String> overrides,
                                     boolean validateOnly) {
        final String invalid = invalidNameReason(name);
        if (invalid != null) {
            throw new TopicException(Errors.INVALID_TOPIC_EXCEPTION, invalid);
        }
        if (isInternal(name)) {
            throw new TopicException(Errors.INVALID_REQUEST, "Creation of internal topic " + name + " is prohibited.");
        }
        if (byName.containsKey(name)) {
            throw new TopicException(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        for (String existing : byName.keySet()) {
            if (existing.replace('.', '_').equals(name.replace('.', '_'))) {
                throw new TopicException(Errors.INVALID_TOPIC_EXCEPTION, "Topic '" + name
                        + "' collides with existing topic: " + existing);
            }
        }
        if (partitions < 1) {
            throw new TopicException(Errors.INVALID_PARTITIONS, "Number of partitions must be larger than 0.");
        }
        final String badConfig = TopicConfigs.validate(overrides);
        if (badConfig != null) {
            throw new TopicException(Errors.INVALID_CONFIG, badConfig);
        }
        if (validateOnly) {
            return new Topic(name, UUID.randomUUID(), List.of(), overrides);
        }
        final UUID id = UUID.randomUUID();
        writeDescriptor(name, id, partitions, overrides);
        final List<Partition> parts = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            parts.add(openOrCreate(new TopicPartition(name, i), overrides));
        }
        final Topic topic = new Topic(name, id, parts, overrides);
        byName.put(name, topic);
        byId.put(id, topic);
        LOG.info("Created topic {} with {} partition(s), id {}", name, partitions, id);
        return topic;
    }

    /** Deletes a topic and its logs. */
    public synchronized void delete(String name) {
        final Topic topic = byName.get(name);
        if (topic == null) {
            throw new TopicException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "This server does not host this topic-partition.");
        }
        byName.remove(name);
        byId.remove(topic.id());
        try {
            Files.deleteIfExists(descriptorFile(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Partition p : topic.partitions()) {
            logs.deleteLog(p.topicPartition());
        }
        LOG.info("Deleted topic {}", name);
    }

    /** Grows a topic to {@code total} partitions. */
    public synchronized Topic addPartitions(String name, int total, boolean validateOnly) {
        final Topic topic = byName.get(name);
        if (topic == null) {
            throw new TopicException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "The topic '" + name + "' does not exist.");
        }
        final int current = topic.partitions().size();
        if (total < current) {
            throw new TopicException(Errors.INVALID_PARTITIONS, "Topic currently has " + current
                    + " partitions, which is higher than the requested " + total + ".");
        }
        if (total == current) {
            throw new TopicException(Errors.INVALID_PARTITIONS, "Topic already has " + current + " partitions.");
        }
        if (validateOnly) {
            return topic;
        }
        writeDescriptor(name, topic.id(), total, topic.configOverrides());
        final List<Partition> parts = new ArrayList<>(topic.partitions());
        for (int i = current; i < total; i++) {
            parts.add(openOrCreate(new TopicPartition(name, i), topic.configOverrides()));
        }
        final Topic grown = new Topic(name, topic.id(), parts, topic.configOverrides());
        byName.put(name, grown);
        byId.put(grown.id(), grown);
        LOG.info("Topic {} now has {} partitions", name, total);
        return grown;
    }

    /**
     * Replaces a topic's configuration overrides (validated first), persists them and applies them to
     * every partition log.
     */
    public synchronized Topic replaceConfigs(String name, Map<String, String> overrides, boolean validateOnly) {
        final Topic topic = byName.get(name);
        if (topic == null) {
            throw new TopicException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + name + " does not exist");
        }
        final String badConfig = TopicConfigs.validate(overrides);
        if (badConfig != null) {
            throw new TopicException(Errors.INVALID_CONFIG, badConfig);
        }
        if (validateOnly) {
            return topic;
        }
        writeDescriptor(name, topic.id(), topic.partitions().size(), overrides);
        final LogConfig logConfig = TopicConfigs.logConfig(config, overrides);
        for (Partition p : topic.partitions()) {
            p.log().updateConfig(logConfig);
        }
        final Topic updated = new Topic(name, topic.id(), topic.partitions(), overrides);
        byName.put(name, updated);
        byId.put(updated.id(), updated);
        LOG.info("Topic {} configuration overrides are now {}", name, overrides);
        return updated;
    }

    private Path descriptorFile(String name) {
        return descriptorDir.resolve(name + ".properties");
    }

    private void writeDescriptor(String name, UUID id, int partitions, Map<String, String> overrides) {
        final Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("topic.id", id.toString());
        p.setProperty("partitions", Integer.toString(partitions));
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            p.setProperty("config." + e.getKey(), e.getValue());
        }
        final Path target = descriptorFile(name);
        final Path tmp = descriptorDir.resolve(name + ".properties.tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "Skiff topic descriptor");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write topic descriptor " + target, e);
        }
    }
}

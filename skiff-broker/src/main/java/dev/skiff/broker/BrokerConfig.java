package dev.skiff.broker;

import dev.skiff.broker.internal.ConfigKey;
import dev.skiff.storage.LogConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The broker's configuration, with Apache Kafka's key names and defaults where they apply.
 *
 * <p>Values are parsed and validated once, when {@link #build} or {@link #fromProperties} runs. A bad
 * value raises a {@link ConfigException} naming the key, the value and what is allowed; keys Skiff
 * does not know are collected in {@link #warnings()} so the broker can log them without refusing to
 * start (Kafka's own server.properties files carry many keys that do not apply to one node).
 */
public final class BrokerConfig {
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String NODE_ID = "node.id";
    public static final String BROKER_ID = "broker.id";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
    public static final String LOG_SEGMENT_BYTES = "log.segment.bytes";
    public static final String LOG_ROLL_MS = "log.roll.ms";
    public static final String LOG_ROLL_HOURS = "log.roll.hours";
    public static final String LOG_RETENTION_MS = "log.retention.ms";
    public static final String LOG_RETENTION_MINUTES = "log.retention.minutes";
    public static final String LOG_RETENTION_HOURS = "log.retention.hours";
    public static final String LOG_RETENTION_BYTES = "log.retention.bytes";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    public static final String LOG_INDEX_SIZE_MAX_BYTES = "log.index.size.max.bytes";
    public static final String LOG_CLEANUP_POLICY = "log.cleanup.policy";
    public static final String LOG_CLEANER_DELETE_RETENTION_MS = "log.cleaner.delete.retention.ms";
    public static final String LOG_CLEANER_MIN_CLEANABLE_RATIO = "log.cleaner.min.cleanable.ratio";
    public static final String LOG_CLEANER_MIN_COMPACTION_LAG_MS = "log.cleaner.min.compaction.lag.ms";
    public static final String LOG_CLEANER_MAX_COMPACTION_LAG_MS = "log.cleaner.max.compaction.lag.ms";
    public static final String LOG_CLEANER_BACKOFF_MS = "log.cleaner.backoff.ms";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String CLUSTER_ID = "cluster.id";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String GROUP_CONSUMER_SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String GROUP_CONSUMER_ASSIGNORS = "group.consumer.assignors";
    public static final String GROUP_COORDINATOR_REBALANCE_PROTOCOLS = "group.coordinator.rebalance.protocols";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    public static final String OFFSETS_TOPIC_SEGMENT_BYTES = "offsets.topic.segment.bytes";
    public static final String MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS = "max.incremental.fetch.session.cache.slots";

    /** Every key Skiff reads, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(
            ConfigKey.list(LISTENERS, "PLAINTEXT://127.0.0.1:9092",
                    "Listener to bind, as PLAINTEXT://host:port. Port 0 picks a free port."),
            ConfigKey.list(ADVERTISED_LISTENERS, null,
                    "Address given to clients in Metadata; defaults to the bound listener."),
            ConfigKey.list(LOG_DIRS, null, "Directory holding the partition logs (one directory)."),
            ConfigKey.string(LOG_DIR, "./skiff-data", "Used when log.dirs is not set."),
            ConfigKey.intKey(NODE_ID, 1, 0, Integer.MAX_VALUE, "This broker's node id."),
            ConfigKey.intKey(BROKER_ID, null, 0, Integer.MAX_VALUE, "Alias of node.id."),
            ConfigKey.intKey(NUM_PARTITIONS, 1, 1, 100_000, "Partitions of auto-created topics."),
            ConfigKey.intKey(DEFAULT_REPLICATION_FACTOR, 1, 1, 1,
                    "Replication factor of auto-created topics; a single node holds one replica."),
            ConfigKey.bool(AUTO_CREATE_TOPICS_ENABLE, true,
                    "Create a topic when a client asks Metadata for one that does not exist."),
            ConfigKey.bool(DELETE_TOPIC_ENABLE, true, "Allow DeleteTopics."),
            ConfigKey.intKey(LOG_SEGMENT_BYTES, 1 << 30, 14, Integer.MAX_VALUE,
                    "Maximum size of one log segment file before a new one is rolled."),
            ConfigKey.longKey(LOG_ROLL_MS, null, 1, Long.MAX_VALUE,
                    "Maximum age of the active segment before it is rolled."),
            ConfigKey.intKey(LOG_ROLL_HOURS, 168, 1, Integer.MAX_VALUE, "log.roll.ms in hours."),
            ConfigKey.longKey(LOG_RETENTION_MS, null, -1, Long.MAX_VALUE,
                    "Delete segments older than this; -1 keeps them forever."),
            ConfigKey.intKey(LOG_RETENTION_MINUTES, null, -1, Integer.MAX_VALUE,
                    "log.retention.ms in minutes."),
            ConfigKey.intKey(LOG_RETENTION_HOURS, 168, -1, Integer.MAX_VALUE, "log.retention.ms in hours."),
            ConfigKey.longKey(LOG_RETENTION_BYTES, -1L, -1, Long.MAX_VALUE,
                    "Delete old segments while a partition is larger than this; -1 for no limit."),
            ConfigKey.longKey(LOG_RETENTION_CHECK_INTERVAL_MS, 300_000L, 1, Long.MAX_VALUE,
                    "How often retention runs."),
            ConfigKey.intKey(LOG_INDEX_INTERVAL_BYTES, 4096, 0, Integer.MAX_VALUE,
                    "Bytes of log between two offset index entries."),
            ConfigKey.intKey(LOG_INDEX_SIZE_MAX_BYTES, 10 * 1024 * 1024, 4, Integer.MAX_VALUE,
                    "Size of the preallocated offset and time index files."),
            ConfigKey.list(LOG_CLEANUP_POLICY, "delete",
                    "Default cleanup.policy of topics: delete, compact, or both (compact,delete)."),
            ConfigKey.longKey(LOG_CLEANER_DELETE_RETENTION_MS, 86_400_000L, 0, Long.MAX_VALUE,
                    "How long the cleaner keeps a tombstone after it first saw it (delete.retention.ms)."),
            ConfigKey.string(LOG_CLEANER_MIN_CLEANABLE_RATIO, "0.5",
                    "Dirty share of a compacted log, 0 to 1, that makes the cleaner compact it."),
            ConfigKey.longKey(LOG_CLEANER_MIN_COMPACTION_LAG_MS, 0L, 0, Long.MAX_VALUE,
                    "Records younger than this are never compacted."),
            ConfigKey.longKey(LOG_CLEANER_MAX_COMPACTION_LAG_MS, Long.MAX_VALUE, 1, Long.MAX_VALUE,
                    "Dirty records older than this get compacted whatever the dirty ratio."),
            ConfigKey.longKey(LOG_CLEANER_BACKOFF_MS, 15_000L, 0, Long.MAX_VALUE,
                    "How long the cleaner thread sleeps when no log needed compaction."),
            ConfigKey.intKey(MESSAGE_MAX_BYTES, 1024 * 1024 + 12, 0, Integer.MAX_VALUE,
                    "Largest record batch the broker accepts."),
            ConfigKey.intKey(SOCKET_REQUEST_MAX_BYTES, 100 * 1024 * 1024, 1, Integer.MAX_VALUE,
                    "Largest request frame; a larger one closes the connection."),
            ConfigKey.intKey(NUM_NETWORK_THREADS, 3, 1, 1024, "Event loop threads serving connections."),
            ConfigKey.string(CLUSTER_ID, null,
                    "Cluster id; read from meta.properties, else generated on first start."),
            ConfigKey.intKey(GROUP_INITIAL_REBALANCE_DELAY_MS, 3000, 0, Integer.MAX_VALUE,
                    "How long the first rebalance of an empty group waits for more members to join."),
            ConfigKey.intKey(GROUP_MIN_SESSION_TIMEOUT_MS, 6000, 1, Integer.MAX_VALUE,
                    "Smallest session.timeout.ms a consumer may ask for."),
            ConfigKey.intKey(GROUP_MAX_SESSION_TIMEOUT_MS, 1_800_000, 1, Integer.MAX_VALUE,
                    "Largest session.timeout.ms a consumer may ask for."),
            ConfigKey.intKey(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, 5000, 1, Integer.MAX_VALUE,
                    "Heartbeat interval given to members of consumer groups (group.protocol=consumer)."),
            ConfigKey.intKey(GROUP_CONSUMER_SESSION_TIMEOUT_MS, 45000, 1, Integer.MAX_VALUE,
                    "A consumer group member (group.protocol=consumer) without a heartbeat this long is removed."),
            ConfigKey.list(GROUP_CONSUMER_ASSIGNORS, "uniform,range",
                    "Server assignors of consumer groups (uniform, range); the first is the default."),
            ConfigKey.list(GROUP_COORDINATOR_REBALANCE_PROTOCOLS, "classic,consumer",
                    "Group protocols served: classic (JoinGroup/SyncGroup) and consumer (KIP-848)."),
            ConfigKey.intKey(OFFSETS_RETENTION_MINUTES, 10080, 1, Integer.MAX_VALUE,
                    "Committed offsets of a group without members are deleted after this long."),
            ConfigKey.longKey(OFFSETS_RETENTION_CHECK_INTERVAL_MS, 600_000L, 1, Long.MAX_VALUE,
                    "How often expired committed offsets are looked for."),
            ConfigKey.intKey(OFFSET_METADATA_MAX_BYTES, 4096, 0, Integer.MAX_VALUE,
                    "Largest metadata string an offset commit may carry."),
            ConfigKey.intKey(OFFSETS_TOPIC_SEGMENT_BYTES, 104_857_600, 1, Integer.MAX_VALUE,
                    "Segment size of the group log __consumer_offsets-0, which is compacted segment by segment."),
            ConfigKey.intKey(MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS, 1000, 0, Integer.MAX_VALUE,
                    "Incremental fetch sessions (KIP-227) kept at once; 0 answers every Fetch sessionless."));

    /** Kafka keys that make no sense on one node: accepted silently rather than warned about. */
    private static final Set<String> IGNORED_KAFKA_KEYS = Set.of(
            "process.roles", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "controller.listener.names", "inter.broker.listener.name", "listener.security.protocol.map",
            "num.io.threads", "socket.send.buffer.bytes", "socket.receive.buffer.bytes",
            "num.recovery.threads.per.data.dir", "offsets.topic.replication.factor",
            "transaction.state.log.replication.factor", "transaction.state.log.min.isr",
            "share.coordinator.state.topic.replication.factor", "share.coordinator.state.topic.min.isr",
            "log.flush.interval.messages", "log.flush.interval.ms", "zookeeper.connect",
            "min.insync.replicas", "unclean.leader.election.enable",
            // One node keeps all groups in a single internal partition.
            "offsets.topic.num.partitions");

    private static final Map<String, ConfigKey> BY_NAME;

    static {
        final Map<String, ConfigKey> byName = new LinkedHashMap<>();
        for (ConfigKey key : KEYS) {
            byName.put(key.name(), key);
        }
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private final Map<String, String> originals;
    private final Map<String, Object> values;
    private final List<String> warnings;

    private BrokerConfig(Map<String, String> originals) {
        this.originals = Collections.unmodifiableMap(new LinkedHashMap<>(originals));
        final Map<String, Object> parsed = new LinkedHashMap<>();
        final List<String> warn = new ArrayList<>();
        for (ConfigKey key : KEYS) {
            final String raw = originals.get(key.name());
            if (raw != null) {
                parsed.put(key.name(), key.parse(raw));
            } else if (key.defaultValue() != null) {
                parsed.put(key.name(), key.parse(key.defaultValue()));
            }
        }
        for (String name : originals.keySet()) {
            if (!BY_NAME.containsKey(name) && !IGNORED_KAFKA_KEYS.contains(name)) {
                warn.add("Unknown configuration '" + name + "' was ignored");
            }
        }
        this.values = parsed;
        this.warnings = List.copyOf(warn);
        validateCrossKeys();
    }

    /** Configuration from Kafka-style key/value pairs; anything not given takes its default. */
    public static BrokerConfig fromProperties(Map<String, String> props) {
        return new BrokerConfig(props);
    }

    /** All defaults: 127.0.0.1:9092, data in ./skiff-data. */
    public static BrokerConfig defaults() {
        return new BrokerConfig(Map.of());
    }

    /** Reads a server.properties file. */
    public static Map<String, String> readPropertiesFile(Path file) {
        final Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("Cannot read configuration file " + file + ": " + e.getMessage());
        }
        final Map<String, String> map = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            map.put(name, props.getProperty(name).trim());
        }
        return map;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    private void validateCrossKeys() {
        if (groupMinSessionTimeoutMs() > groupMaxSessionTimeoutMs()) {
            throw ConfigException.invalid(GROUP_MIN_SESSION_TIMEOUT_MS, groupMinSessionTimeoutMs(),
                    "must not exceed " + GROUP_MAX_SESSION_TIMEOUT_MS + " (" + groupMaxSessionTimeoutMs() + ")");
        }
        if (groupConsumerHeartbeatIntervalMs() >= groupConsumerSessionTimeoutMs()) {
            throw ConfigException.invalid(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, groupConsumerHeartbeatIntervalMs(),
                    "must be less than " + GROUP_CONSUMER_SESSION_TIMEOUT_MS + " (" + groupConsumerSessionTimeoutMs()
                            + ")");
        }
        final List<String> assignors = groupConsumerAssignors();
        if (assignors.isEmpty()) {
            throw ConfigException.invalid(GROUP_CONSUMER_ASSIGNORS, "", "name at least one of uniform, range");
        }
        for (String a : assignors) {
            if (!a.equals("uniform") && !a.equals("range")) {
                throw ConfigException.invalid(GROUP_CONSUMER_ASSIGNORS, a, "known assignors are uniform and range");
            }
        }
        final List<String> protocols = groupCoordinatorRebalanceProtocols();
        for (String p : protocols) {
            if (!p.equals("classic") && !p.equals("consumer")) {
                throw ConfigException.invalid(GROUP_COORDINATOR_REBALANCE_PROTOCOLS, p,
                        "known protocols are classic and consumer");
            }
        }
        if (!protocols.contains("classic")) {
            throw ConfigException.invalid(GROUP_COORDINATOR_REBALANCE_PROTOCOLS, String.join(",", protocols),
                    "classic must be enabled");
        }
        validateCleanerKeys();
        final String dirs = (String) values.get(LOG_DIRS);
        if (dirs != null && dirs.contains(",")) {
            throw ConfigException.invalid(LOG_DIRS, dirs, "Skiff keeps its logs in exactly one directory");
        }
        listener();
        if (values.get(ADVERTISED_LISTENERS) != null) {
            final Listener adv = Listener.parse(ADVERTISED_LISTENERS, (String) values.get(ADVERTISED_LISTENERS));
            if (adv.host().isEmpty() || adv.host().equals("0.0.0.0") || adv.port() == 0) {
                throw ConfigException.invalid(ADVERTISED_LISTENERS, values.get(ADVERTISED_LISTENERS),
                        "advertise a concrete host and port that clients can reach");
            }
        }
    }

    /** The log cleaner's keys whose type ConfigKey cannot check: a policy list and a ratio. */
    private void validateCleanerKeys() {
        final String policy = (String) values.get(LOG_CLEANUP_POLICY);
        try {
            LogConfig.builder().cleanupPolicy(policy);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(LOG_CLEANUP_POLICY, policy, "expected a list of delete and compact");
        }
        final String ratio = (String) values.get(LOG_CLEANER_MIN_CLEANABLE_RATIO);
        if (!(parseRatio(ratio) >= 0 && parseRatio(ratio) <= 1)) {
            throw ConfigException.invalid(LOG_CLEANER_MIN_CLEANABLE_RATIO, ratio, "expected a number from 0 to 1");
        }
        if (logCleanerMinCompactionLagMs() > logCleanerMaxCompactionLagMs()) {
            throw ConfigException.invalid(LOG_CLEANER_MIN_COMPACTION_LAG_MS, logCleanerMinCompactionLagMs(),
                    "must not exceed " + LOG_CLEANER_MAX_COMPACTION_LAG_MS + " (" + logCleanerMaxCompactionLagMs()
                            + ")");
        }
    }

    private static double parseRatio(String raw) {
        try {
            return Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** log.cleaner.min.compaction.lag.ms */
    public long logCleanerMinCompactionLagMs() {
        return (Long) values.get(LOG_CLEANER_MIN_COMPACTION_LAG_MS);
    }

    /** log.cleaner.max.compaction.lag.ms */
    public long logCleanerMaxCompactionLagMs() {
        return (Long) values.get(LOG_CLEANER_MAX_COMPACTION_LAG_MS);
    }

    /** log.cleaner.backoff.ms: the cleaner thread's sleep when no log needed compaction. */
    public long logCleanerBackoffMs() {
        return (Long) values.get(LOG_CLEANER_BACKOFF_MS);
    }

    /** Pairs as given, before defaults. */
    public Map<String, String> originals() {
        return originals;
    }

    /** Messages about keys that were ignored. */
    public List<String> warnings() {
        return warnings;
    }

    /** The listener to bind. */
    public Listener listener() {
        return Listener.parse(LISTENERS, (String) values.get(LISTENERS));
    }

    /** The advertised listener, or null to advertise the bound address. */
    public Listener advertisedListener() {
        final String adv = (String) values.get(ADVERTISED_LISTENERS);
        return adv == null ? null : Listener.parse(ADVERTISED_LISTENERS, adv);
    }

    public Path logDir() {
        final String dirs = (String) values.get(LOG_DIRS);
        return Path.of(dirs != null ? dirs : (String) values.get(LOG_DIR));
    }

    public int nodeId() {
        final Object brokerId = values.get(BROKER_ID);
        return brokerId != null && !originals.containsKey(NODE_ID) ? (Integer) brokerId : (Integer) values.get(NODE_ID);
    }

    public String clusterId() {
        return (String) values.get(CLUSTER_ID);
    }

    public int numPartitions() {
        return (Integer) values.get(NUM_PARTITIONS);
    }

    public boolean autoCreateTopics() {
        return (Boolean) values.get(AUTO_CREATE_TOPICS_ENABLE);
    }

    public boolean deleteTopicEnable() {
        return (Boolean) values.get(DELETE_TOPIC_ENABLE);
    }

    public int segmentBytes() {
        return (Integer) values.get(LOG_SEGMENT_BYTES);
    }

    public long rollMs() {
        final Object ms = values.get(LOG_ROLL_MS);
        return ms != null ? (Long) ms : (Integer) values.get(LOG_ROLL_HOURS) * 3_600_000L;
    }

    /** Retention in ms with Kafka's precedence ms, then minutes, then hours; -1 means forever. */
    public long retentionMs() {
        final Object ms = values.get(LOG_RETENTION_MS);
        if (ms != null) {
            return (Long) ms;
        }
        final Object minutes = values.get(LOG_RETENTION_MINUTES);
        if (minutes != null) {
            return (Integer) minutes < 0 ? -1 : (Integer) minutes * 60_000L;
        }
        final int hours = (Integer) values.get(LOG_RETENTION_HOURS);
        return hours < 0 ? -1 : hours * 3_600_000L;
    }

    public long retentionBytes() {
        return (Long) values.get(LOG_RETENTION_BYTES);
    }

    public long retentionCheckIntervalMs() {
        return (Long) values.get(LOG_RETENTION_CHECK_INTERVAL_MS);
    }

    public int indexIntervalBytes() {
        return (Integer) values.get(LOG_INDEX_INTERVAL_BYTES);
    }

    public int indexSizeMaxBytes() {
        return (Integer) values.get(LOG_INDEX_SIZE_MAX_BYTES);
    }

    public int messageMaxBytes() {
        return (Integer) values.get(MESSAGE_MAX_BYTES);
    }

    public int socketRequestMaxBytes() {
        return (Integer) values.get(SOCKET_REQUEST_MAX_BYTES);
    }

    public int numNetworkThreads() {
        return (Integer) values.get(NUM_NETWORK_THREADS);
    }

    public int groupInitialRebalanceDelayMs() {
        return (Integer) values.get(GROUP_INITIAL_REBALANCE_DELAY_MS);
    }

    public int groupMinSessionTimeoutMs() {
        return (Integer) values.get(GROUP_MIN_SESSION_TIMEOUT_MS);
    }

    public int groupMaxSessionTimeoutMs() {
        return (Integer) values.get(GROUP_MAX_SESSION_TIMEOUT_MS);
    }

    /** offsets.retention.minutes in ms. */
    public long offsetsRetentionMs() {
        return (Integer) values.get(OFFSETS_RETENTION_MINUTES) * 60_000L;
    }

    public long offsetsRetentionCheckIntervalMs() {
        return (Long) values.get(OFFSETS_RETENTION_CHECK_INTERVAL_MS);
    }

    public int groupConsumerHeartbeatIntervalMs() {
        return (Integer) values.get(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS);
    }

    public int groupConsumerSessionTimeoutMs() {
        return (Integer) values.get(GROUP_CONSUMER_SESSION_TIMEOUT_MS);
    }

    /**
     * group.consumer.assignors as short names; Kafka's class names
     * (org.apache.kafka.coordinator.group.assignor.UniformAssignor, ...RangeAssignor) are accepted too.
     */
    public List<String> groupConsumerAssignors() {
        final List<String> names = new ArrayList<>();
        for (String a : splitList((String) values.get(GROUP_CONSUMER_ASSIGNORS))) {
            final String lower = a.toLowerCase(java.util.Locale.ROOT);
            if (lower.endsWith(".uniformassignor")) {
                names.add("uniform");
            } else if (lower.endsWith(".rangeassignor")) {
                names.add("range");
            } else {
                names.add(lower);
            }
        }
        return names;
    }

    /** group.coordinator.rebalance.protocols, lower case. */
    public List<String> groupCoordinatorRebalanceProtocols() {
        final List<String> names = new ArrayList<>();
        for (String p : splitList((String) values.get(GROUP_COORDINATOR_REBALANCE_PROTOCOLS))) {
            names.add(p.toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }

    private static List<String> splitList(String raw) {
        final List<String> items = new ArrayList<>();
        if (raw != null) {
            for (String item : raw.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    public int offsetMetadataMaxBytes() {
        return (Integer) values.get(OFFSET_METADATA_MAX_BYTES);
    }

    public int offsetsTopicSegmentBytes() {
        return (Integer) values.get(OFFSETS_TOPIC_SEGMENT_BYTES);
    }

    public int maxIncrementalFetchSessionCacheSlots() {
        return (Integer) values.get(MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS);
    }

    /** The effective value of a key as text (for DescribeConfigs), or null when unset without default. */
    public String valueAsString(String key) {
        final Object v = values.get(key);
        return v == null ? null : v.toString();
    }

    /** Whether the user set this key explicitly. */
    public boolean isSet(String key) {
        return originals.containsKey(key);
    }

    /** A listener address: security protocol, host and port. */
    public record Listener(String protocol, String host, int port) {
        static Listener parse(String key, String value) {
            final String v = value.trim();
            final int sep = v.indexOf("://");
            if (sep < 0 || v.contains(",")) {
                throw ConfigException.invalid(key, value, "expected one listener as PLAINTEXT://host:port");
            }
            final String protocol = v.substring(0, sep);
            final String hostPort = v.substring(sep + 3);
            final int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                throw ConfigException.invalid(key, value, "expected one listener as PLAINTEXT://host:port");
            }
            if (!protocol.equals("PLAINTEXT")) {
                throw ConfigException.invalid(key, value, "only PLAINTEXT listeners are supported");
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            final int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw ConfigException.invalid(key, value, "the port must be a number in [0, 65535]");
            }
            if (port < 0 || port > 65535) {
                throw ConfigException.invalid(key, value, "the port must be a number in [0, 65535]");
            }
            return new Listener(protocol, host, port);
        }
    }

    /** Builds a configuration from key/value pairs, with conveniences for embedding. */
    public static final class Builder {
        private final Map<String, String> props = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets any key by its Kafka name. */
        public Builder set(String key, String value) {
            props.put(key, value);
            return this;
        }

        /** Sets every pair of {@code map}. */
        public Builder setAll(Map<String, String> map) {
            props.putAll(map);
            return this;
        }

        /** The directory for partition logs ({@code log.dirs}). */
        public Builder logDir(Path dir) {
            return set(LOG_DIRS, dir.toString());
        }

        /** Binds {@code PLAINTEXT://host:port}; port 0 picks a free one. */
        public Builder listener(String host, int port) {
            return set(LISTENERS, "PLAINTEXT://" + host + ":" + port);
        }

        public BrokerConfig build() {
            return new BrokerConfig(props);
        }
    }
}

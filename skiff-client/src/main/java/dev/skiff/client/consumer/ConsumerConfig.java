package dev.skiff.client.consumer;

import dev.skiff.client.internal.ConfigKeys;
import dev.skiff.client.producer.ConfigException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simple consumer's settings, with Kafka's keys and Kafka 4.x defaults, validated once when built.
 *
 * <pre>{@code
 * ConsumerConfig config = ConsumerConfig.builder()
 *         .bootstrapServers("127.0.0.1:9092")
 *         .autoOffsetReset("earliest")
 *         .build();
 * // or from Kafka-style properties:
 * ConsumerConfig same = ConsumerConfig.fromProperties(Map.of("bootstrap.servers", "127.0.0.1:9092"));
 * }</pre>
 *
 * An unknown key or a malformed or out-of-range value fails with a {@link ConfigException} naming the
 * key, the value and what is allowed. The group keys (group.id, session.timeout.ms, enable.auto.commit...)
 * are read by {@link GroupConsumer}; {@link SimpleConsumer} has partitions assigned by the application and
 * ignores them.
 */
public final class ConsumerConfig {
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CLIENT_ID = "client.id";
    public static final String FETCH_MIN_BYTES = "fetch.min.bytes";
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    public static final String MAX_PARTITION_FETCH_BYTES = "max.partition.fetch.bytes";
    public static final String FETCH_MAX_WAIT_MS = "fetch.max.wait.ms";
    public static final String MAX_POLL_RECORDS = "max.poll.records";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String DEFAULT_API_TIMEOUT_MS = "default.api.timeout.ms";
    public static final String ISOLATION_LEVEL = "isolation.level";
    public static final String AUTO_OFFSET_RESET = "auto.offset.reset";
    public static final String CHECK_CRCS = "check.crcs";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RECONNECT_BACKOFF_MS = "reconnect.backoff.ms";
    public static final String RECONNECT_BACKOFF_MAX_MS = "reconnect.backoff.max.ms";
    public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";
    public static final String KEY_DESERIALIZER = "key.deserializer";
    public static final String VALUE_DESERIALIZER = "value.deserializer";
    public static final String GROUP_ID = "group.id";
    public static final String GROUP_INSTANCE_ID = "group.instance.id";
    public static final String SESSION_TIMEOUT_MS = "session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "heartbeat.interval.ms";
    public static final String MAX_POLL_INTERVAL_MS = "max.poll.interval.ms";
    public static final String ENABLE_AUTO_COMMIT = "enable.auto.commit";
    public static final String AUTO_COMMIT_INTERVAL_MS = "auto.commit.interval.ms";
    public static final String PARTITION_ASSIGNMENT_STRATEGY = "partition.assignment.strategy";

    /**
     * Kafka's default list: members advertise both, so they join a group of eager "range" members as well as
     * one of cooperative-sticky-only members (kafka-clients configured for incremental rebalances). The group
     * stays eager while range is on the list.
     */
    private static final String DEFAULT_STRATEGIES = "range, cooperative-sticky";
    private static final String STRATEGIES_ALLOWED = "one of range, roundrobin, cooperative-sticky, or a "
            + "comma-separated list of them, most preferred first (kafka-clients' RangeAssignor, RoundRobinAssignor "
            + "and CooperativeStickyAssignor class names are accepted too)";
    private static final Map<String, String> KAFKA_ASSIGNORS = Map.of(
            "org.apache.kafka.clients.consumer.RangeAssignor", "range",
            "org.apache.kafka.clients.consumer.RoundRobinAssignor", "roundrobin",
            "org.apache.kafka.clients.consumer.CooperativeStickyAssignor", "cooperative-sticky");
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();
    private static final ConfigKeys KEYS = new ConfigKeys("consumer")
            .define(BOOTSTRAP_SERVERS, null, ConfigKeys.Kind.HOSTS, "host:port pairs, comma-separated, at least one")
            .define(CLIENT_ID, "", ConfigKeys.Kind.STRING, "any string; empty picks skiff-consumer-N")
            .define(FETCH_MIN_BYTES, "1", ConfigKeys.Kind.INT, "an integer >= 0")
            .define(FETCH_MAX_BYTES, "52428800", ConfigKeys.Kind.INT, "an integer >= 0")
            .define(MAX_PARTITION_FETCH_BYTES, "1048576", ConfigKeys.Kind.INT, "an integer >= 0")
            .define(FETCH_MAX_WAIT_MS, "500", ConfigKeys.Kind.INT, "an integer >= 0")
            .define(MAX_POLL_RECORDS, "500", ConfigKeys.Kind.POSITIVE_INT, "an integer >= 1")
            .define(REQUEST_TIMEOUT_MS, "30000", ConfigKeys.Kind.POSITIVE_INT, "an integer >= 1")
            .define(DEFAULT_API_TIMEOUT_MS, "60000", ConfigKeys.Kind.POSITIVE_INT, "an integer >= 1")
            .choice(ISOLATION_LEVEL, "read_uncommitted", "read_uncommitted", "read_committed")
            .choice(AUTO_OFFSET_RESET, "latest", "latest", "earliest", "none")
            .define(CHECK_CRCS, "true", ConfigKeys.Kind.BOOLEAN, "true or false")
            .define(RETRY_BACKOFF_MS, "100", ConfigKeys.Kind.LONG, "an integer >= 0")
            .define(RECONNECT_BACKOFF_MS, "50", ConfigKeys.Kind.LONG, "an integer >= 0")
            .define(RECONNECT_BACKOFF_MAX_MS, "1000", ConfigKeys.Kind.LONG, "an integer >= 0")
            .define(METADATA_MAX_AGE_MS, "300000", ConfigKeys.Kind.LONG, "an integer >= 0")
            .define(KEY_DESERIALIZER, null, ConfigKeys.Kind.CLASS,
                    "a class implementing dev.skiff.client.consumer.Deserializer")
            .define(VALUE_DESERIALIZER, null, ConfigKeys.Kind.CLASS,
                    "a class implementing dev.skiff.client.consumer.Deserializer")
            .define(GROUP_ID, "", ConfigKeys.Kind.STRING, "a group name; empty means no group")
            .define(GROUP_INSTANCE_ID, "", ConfigKeys.Kind.STRING, "a static member id; empty means dynamic")
            .define(SESSION_TIMEOUT_MS, "45000", ConfigKeys.Kind.POSITIVE_INT, "an integer >= 1")
            .define(HEARTBEAT_INTERVAL_MS, "3000", ConfigKeys.Kind.POSITIVE_INT, "an integer >= 1")
            .define(MAX_POLL_INTERVAL_MS, "300000", ConfigKeys.Kind.POSITIVE_INT, "an integer >= 1")
            .define(ENABLE_AUTO_COMMIT, "true", ConfigKeys.Kind.BOOLEAN, "true or false")
            .define(AUTO_COMMIT_INTERVAL_MS, "5000", ConfigKeys.Kind.INT, "an integer >= 0")
            .define(PARTITION_ASSIGNMENT_STRATEGY, DEFAULT_STRATEGIES, ConfigKeys.Kind.STRING, STRATEGIES_ALLOWED);

    private final Map<String, Object> originals;
    private final Map<String, Object> values;
    private final String clientId;
    private final List<String> strategies;

    private ConsumerConfig(Map<String, Object> given) {
        this.originals = Map.copyOf(given.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        this.values = KEYS.parse(given);
        final String id = (String) values.get(CLIENT_ID);
        this.clientId = id.isEmpty() ? "skiff-consumer-" + CLIENT_IDS.incrementAndGet() : id;
        this.strategies = strategies(given.containsKey(PARTITION_ASSIGNMENT_STRATEGY)
                ? given.get(PARTITION_ASSIGNMENT_STRATEGY) : DEFAULT_STRATEGIES);
        if (fetchMaxWaitMs() >= requestTimeoutMs()) {
            throw new ConfigException("Invalid value " + fetchMaxWaitMs() + " for configuration " + FETCH_MAX_WAIT_MS
                    + ": must be less than " + REQUEST_TIMEOUT_MS + " (" + requestTimeoutMs()
                    + ") so a long poll is answered before the request times out");
        }
        if (heartbeatIntervalMs() >= sessionTimeoutMs()) {
            throw new ConfigException("Invalid value " + heartbeatIntervalMs() + " for configuration "
                    + HEARTBEAT_INTERVAL_MS + ": must be less than " + SESSION_TIMEOUT_MS + " (" + sessionTimeoutMs()
                    + "), typically a third of it, so the coordinator hears from a live member in time");
        }
    }

    /** A new builder with every key at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A config from Kafka-style properties; values may be strings or typed (Integer, Long, Boolean, Class
     * or an instance for deserializers).
     *
     * @throws ConfigException for an unknown key or an invalid value
     */
    public static ConsumerConfig fromProperties(Map<String, ?> properties) {
        return builder().setAll(properties).build();
    }

    /** The keys and values as given (not defaults). */
    public Map<String, Object> originals() {
        return originals;
    }

    @SuppressWarnings("unchecked")
    public List<String> bootstrapServers() {
        return (List<String>) values.get(BOOTSTRAP_SERVERS);
    }

    public String clientId() {
        return clientId;
    }

    public int fetchMinBytes() {
        return (Integer) values.get(FETCH_MIN_BYTES);
    }

    public int fetchMaxBytes() {
        return (Integer) values.get(FETCH_MAX_BYTES);
    }

    public int maxPartitionFetchBytes() {
        return (Integer) values.get(MAX_PARTITION_FETCH_BYTES);
    }

    public int fetchMaxWaitMs() {
        return (Integer) values.get(FETCH_MAX_WAIT_MS);
    }

    public int maxPollRecords() {
        return (Integer) values.get(MAX_POLL_RECORDS);
    }

    public int requestTimeoutMs() {
        return (Integer) values.get(REQUEST_TIMEOUT_MS);
    }

    /** How long blocking calls other than poll (position, endOffsets...) may take. */
    public int defaultApiTimeoutMs() {
        return (Integer) values.get(DEFAULT_API_TIMEOUT_MS);
    }

    /** "read_uncommitted" or "read_committed". */
    public String isolationLevel() {
        return (String) values.get(ISOLATION_LEVEL);
    }

    /** "latest", "earliest" or "none". */
    public String autoOffsetReset() {
        return (String) values.get(AUTO_OFFSET_RESET);
    }

    public boolean checkCrcs() {
        return (Boolean) values.get(CHECK_CRCS);
    }

    public long retryBackoffMs() {
        return (Long) values.get(RETRY_BACKOFF_MS);
    }

    public long reconnectBackoffMs() {
        return (Long) values.get(RECONNECT_BACKOFF_MS);
    }

    public long reconnectBackoffMaxMs() {
        return (Long) values.get(RECONNECT_BACKOFF_MAX_MS);
    }

    public long metadataMaxAgeMs() {
        return (Long) values.get(METADATA_MAX_AGE_MS);
    }

    /** A Class, a class name or a Deserializer instance; null when the deserializer is passed in code. */
    public Object keyDeserializer() {
        return values.get(KEY_DESERIALIZER);
    }

    /** A Class, a class name or a Deserializer instance; null when the deserializer is passed in code. */
    public Object valueDeserializer() {
        return values.get(VALUE_DESERIALIZER);
    }

    /** The consumer group; empty when none is configured. */
    public String groupId() {
        return (String) values.get(GROUP_ID);
    }

    /** The static member id (KIP-345); empty for a dynamic member. */
    public String groupInstanceId() {
        return (String) values.get(GROUP_INSTANCE_ID);
    }

    public int sessionTimeoutMs() {
        return (Integer) values.get(SESSION_TIMEOUT_MS);
    }

    public int heartbeatIntervalMs() {
        return (Integer) values.get(HEARTBEAT_INTERVAL_MS);
    }

    /** Longest time between polls before the member leaves the group; also its rebalance timeout. */
    public int maxPollIntervalMs() {
        return (Integer) values.get(MAX_POLL_INTERVAL_MS);
    }

    public boolean enableAutoCommit() {
        return (Boolean) values.get(ENABLE_AUTO_COMMIT);
    }

    public int autoCommitIntervalMs() {
        return (Integer) values.get(AUTO_COMMIT_INTERVAL_MS);
    }

    /** The most preferred assignment strategy: "range", "roundrobin" or "cooperative-sticky". */
    public String partitionAssignmentStrategy() {
        return strategies.get(0);
    }

    /**
     * Every assignment strategy this member advertises, most preferred first (Kafka names); the group runs
     * one that every member lists. Only a list of cooperative-sticky alone rebalances incrementally.
     */
    public List<String> partitionAssignmentStrategies() {
        return strategies;
    }

    /** Parses partition.assignment.strategy: text with commas or a collection, of names or Kafka classes. */
    private static List<String> strategies(Object raw) {
        final List<Object> items = new ArrayList<>();
        if (raw instanceof Collection<?> c) {
            items.addAll(c);
        } else if (raw != null) {
            items.addAll(List.of(String.valueOf(raw).split(",")));
        }
        final Set<String> out = new LinkedHashSet<>();
        for (Object item : items) {
            final String text = item instanceof Class<?> k ? k.getName() : String.valueOf(item).trim();
            if (text.isEmpty()) {
                continue;
            }
            final String name = KAFKA_ASSIGNORS.getOrDefault(text, text.toLowerCase(Locale.ROOT));
            if (!name.equals("range") && !name.equals("roundrobin") && !name.equals("cooperative-sticky")) {
                throw ConfigException.invalid(PARTITION_ASSIGNMENT_STRATEGY, raw, STRATEGIES_ALLOWED);
            }
            out.add(name);
        }
        if (out.isEmpty()) {
            throw ConfigException.invalid(PARTITION_ASSIGNMENT_STRATEGY, raw, STRATEGIES_ALLOWED);
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "ConsumerConfig" + originals;
    }

    /** Typed setters for the common keys; {@link #set} takes any key by name. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets any key by its Kafka name; unknown names fail in {@link #build()}. */
        public Builder set(String key, Object value) {
            values.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        public Builder setAll(Map<String, ?> properties) {
            properties.forEach(this::set);
            return this;
        }

        public Builder bootstrapServers(String servers) {
            return set(BOOTSTRAP_SERVERS, servers);
        }

        public Builder clientId(String id) {
            return set(CLIENT_ID, id);
        }

        public Builder fetchMinBytes(int bytes) {
            return set(FETCH_MIN_BYTES, bytes);
        }

        public Builder fetchMaxBytes(int bytes) {
            return set(FETCH_MAX_BYTES, bytes);
        }

        public Builder maxPartitionFetchBytes(int bytes) {
            return set(MAX_PARTITION_FETCH_BYTES, bytes);
        }

        public Builder fetchMaxWaitMs(int ms) {
            return set(FETCH_MAX_WAIT_MS, ms);
        }

        public Builder maxPollRecords(int records) {
            return set(MAX_POLL_RECORDS, records);
        }

        public Builder requestTimeoutMs(int ms) {
            return set(REQUEST_TIMEOUT_MS, ms);
        }

        /** "read_uncommitted" (default) or "read_committed". */
        public Builder isolationLevel(String level) {
            return set(ISOLATION_LEVEL, level);
        }

        /** "latest" (default), "earliest" or "none". */
        public Builder autoOffsetReset(String reset) {
            return set(AUTO_OFFSET_RESET, reset);
        }

        public Builder groupId(String group) {
            return set(GROUP_ID, group);
        }

        public Builder enableAutoCommit(boolean enable) {
            return set(ENABLE_AUTO_COMMIT, enable);
        }

        /** Strategies most preferred first, e.g. "cooperative-sticky" for incremental rebalances. */
        public Builder partitionAssignmentStrategy(String strategies) {
            return set(PARTITION_ASSIGNMENT_STRATEGY, strategies);
        }

        public Builder keyDeserializer(Object deserializer) {
            return set(KEY_DESERIALIZER, deserializer);
        }

        public Builder valueDeserializer(Object deserializer) {
            return set(VALUE_DESERIALIZER, deserializer);
        }

        /** @throws ConfigException for an unknown key or an invalid value */
        public ConsumerConfig build() {
            return new ConsumerConfig(new LinkedHashMap<>(values));
        }
    }
}

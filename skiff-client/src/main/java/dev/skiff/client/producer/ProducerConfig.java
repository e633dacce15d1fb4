package dev.skiff.client.producer;

import dev.skiff.client.internal.ConfigKeys;
import dev.skiff.client.internal.ConfigKeys.Kind;
import dev.skiff.protocol.record.CompressionType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The producer's settings, with Kafka's keys and Kafka 4.x defaults, validated once when built.
 *
 * <pre>{@code
 * ProducerConfig config = ProducerConfig.builder()
 *         .bootstrapServers("127.0.0.1:9092")
 *         .lingerMs(10)
 *         .compressionType("lz4")
 *         .build();
 * // or from Kafka-style properties:
 * ProducerConfig same = ProducerConfig.fromProperties(Map.of("bootstrap.servers", "127.0.0.1:9092"));
 * }</pre>
 *
 * An unknown key, a malformed or out-of-range value, or an inconsistent combination fails with a
 * {@link ConfigException} naming the key, the value and what is allowed. Idempotence follows Kafka:
 * it is on by default, but when it was not set explicitly and another setting rules it out (acks other
 * than all, retries=0, more than 5 requests in flight) it is quietly turned off; set explicitly to true
 * with such a setting it is an error.
 */
public final class ProducerConfig {
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CLIENT_ID = "client.id";
    public static final String ACKS = "acks";
    public static final String ENABLE_IDEMPOTENCE = "enable.idempotence";
    public static final String LINGER_MS = "linger.ms";
    public static final String BATCH_SIZE = "batch.size";
    public static final String BUFFER_MEMORY = "buffer.memory";
    public static final String MAX_BLOCK_MS = "max.block.ms";
    public static final String DELIVERY_TIMEOUT_MS = "delivery.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String RETRIES = "retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String RECONNECT_BACKOFF_MS = "reconnect.backoff.ms";
    public static final String RECONNECT_BACKOFF_MAX_MS = "reconnect.backoff.max.ms";
    public static final String MAX_IN_FLIGHT = "max.in.flight.requests.per.connection";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String MAX_REQUEST_SIZE = "max.request.size";
    public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";
    public static final String PARTITIONER_CLASS = "partitioner.class";
    public static final String PARTITIONER_IGNORE_KEYS = "partitioner.ignore.keys";
    public static final String PARTITIONER_ADAPTIVE = "partitioner.adaptive.partitioning.enable";
    public static final String PARTITIONER_AVAILABILITY_TIMEOUT_MS = "partitioner.availability.timeout.ms";
    public static final String KEY_SERIALIZER = "key.serializer";
    public static final String VALUE_SERIALIZER = "value.serializer";

    /** Most requests in flight per connection that still keep order with idempotence. */
    public static final int MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5;

    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    /** Every key, its default (as text; null = none) and what it accepts. */
    private static final ConfigKeys KEYS = new ConfigKeys("producer")
            .define(BOOTSTRAP_SERVERS, null, Kind.HOSTS, "host:port pairs, comma-separated, at least one")
            .define(CLIENT_ID, "", Kind.STRING, "any string; empty picks skiff-producer-N")
            .define(ACKS, "all", Kind.ACKS, "one of all, -1, 0, 1")
            .define(ENABLE_IDEMPOTENCE, "true", Kind.BOOLEAN, "true or false")
            .define(LINGER_MS, "5", Kind.LONG, "an integer >= 0")
            .define(BATCH_SIZE, "16384", Kind.INT, "an integer >= 0")
            .define(BUFFER_MEMORY, "33554432", Kind.POSITIVE_LONG, "an integer >= 1")
            .define(MAX_BLOCK_MS, "60000", Kind.LONG, "an integer >= 0")
            .define(DELIVERY_TIMEOUT_MS, "120000", Kind.INT, "an integer >= 0")
            .define(REQUEST_TIMEOUT_MS, "30000", Kind.INT, "an integer >= 0")
            .define(RETRIES, String.valueOf(Integer.MAX_VALUE), Kind.INT, "an integer >= 0")
            .define(RETRY_BACKOFF_MS, "100", Kind.LONG, "an integer >= 0")
            .define(RETRY_BACKOFF_MAX_MS, "1000", Kind.LONG, "an integer >= 0")
            .define(RECONNECT_BACKOFF_MS, "50", Kind.LONG, "an integer >= 0")
            .define(RECONNECT_BACKOFF_MAX_MS, "1000", Kind.LONG, "an integer >= 0")
            .define(MAX_IN_FLIGHT, "5", Kind.POSITIVE_INT, "an integer >= 1")
            .define(COMPRESSION_TYPE, "none", Kind.COMPRESSION, "one of none, gzip, snappy, lz4, zstd")
            .define(MAX_REQUEST_SIZE, "1048576", Kind.POSITIVE_INT, "an integer >= 1")
            .define(METADATA_MAX_AGE_MS, "300000", Kind.LONG, "an integer >= 0")
            .define(PARTITIONER_CLASS, null, Kind.CLASS, "a class implementing dev.skiff.client.producer.Partitioner")
            .define(PARTITIONER_IGNORE_KEYS, "false", Kind.BOOLEAN, "true or false")
            .define(PARTITIONER_ADAPTIVE, "true", Kind.BOOLEAN, "true or false")
            .define(PARTITIONER_AVAILABILITY_TIMEOUT_MS, "0", Kind.LONG, "an integer >= 0")
            .define(KEY_SERIALIZER, null, Kind.CLASS, "a class implementing dev.skiff.client.serde.Serializer")
            .define(VALUE_SERIALIZER, null, Kind.CLASS, "a class implementing dev.skiff.client.serde.Serializer");

    private final Map<String, Object> originals;
    private final Map<String, Object> values;
    private final List<String> bootstrapServers;
    private final String clientId;
    private final short acks;
    private final boolean idempotence;
    private final long lingerMs;
    private final int batchSize;
    private final long bufferMemory;
    private final long maxBlockMs;
    private final int deliveryTimeoutMs;
    private final int requestTimeoutMs;
    private final int retries;
    private final long retryBackoffMs;
    private final long retryBackoffMaxMs;
    private final long reconnectBackoffMs;
    private final long reconnectBackoffMaxMs;
    private final int maxInFlight;
    private final CompressionType compressionType;
    private final int maxRequestSize;
    private final long metadataMaxAgeMs;
    private final Object partitionerClass;
    private final boolean partitionerIgnoreKeys;
    private final boolean adaptivePartitioning;
    private final long partitionerAvailabilityTimeoutMs;
    private final Object keySerializer;
    private final Object valueSerializer;

    private ProducerConfig(Map<String, Object> given) {
        this.originals = Collections.unmodifiableMap(new LinkedHashMap<>(given));
        this.values = KEYS.parse(given);
        @SuppressWarnings("unchecked")
        final List<String> hosts = (List<String>) value(BOOTSTRAP_SERVERS);
        this.bootstrapServers = hosts;
        final String id = (String) value(CLIENT_ID);
        this.clientId = id.isEmpty() ? "skiff-producer-" + CLIENT_IDS.incrementAndGet() : id;
        this.acks = (Short) value(ACKS);
        this.lingerMs = (Long) value(LINGER_MS);
        this.batchSize = (Integer) value(BATCH_SIZE);
        this.bufferMemory = (Long) value(BUFFER_MEMORY);
        this.maxBlockMs = (Long) value(MAX_BLOCK_MS);
        this.deliveryTimeoutMs = (Integer) value(DELIVERY_TIMEOUT_MS);
        this.requestTimeoutMs = (Integer) value(REQUEST_TIMEOUT_MS);
        this.retries = (Integer) value(RETRIES);
        this.retryBackoffMs = (Long) value(RETRY_BACKOFF_MS);
        this.retryBackoffMaxMs = (Long) value(RETRY_BACKOFF_MAX_MS);
        this.reconnectBackoffMs = (Long) value(RECONNECT_BACKOFF_MS);
        this.reconnectBackoffMaxMs = (Long) value(RECONNECT_BACKOFF_MAX_MS);
        this.maxInFlight = (Integer) value(MAX_IN_FLIGHT);
        this.compressionType = (CompressionType) value(COMPRESSION_TYPE);
        this.maxRequestSize = (Integer) value(MAX_REQUEST_SIZE);
        this.metadataMaxAgeMs = (Long) value(METADATA_MAX_AGE_MS);
        this.partitionerClass = value(PARTITIONER_CLASS);
        this.partitionerIgnoreKeys = (Boolean) value(PARTITIONER_IGNORE_KEYS);
        this.adaptivePartitioning = (Boolean) value(PARTITIONER_ADAPTIVE);
        this.partitionerAvailabilityTimeoutMs = (Long) value(PARTITIONER_AVAILABILITY_TIMEOUT_MS);
        this.keySerializer = value(KEY_SERIALIZER);
        this.valueSerializer = value(VALUE_SERIALIZER);

        if ((long) deliveryTimeoutMs < lingerMs + requestTimeoutMs) {
            throw new ConfigException("Invalid value " + deliveryTimeoutMs + " for configuration "
                    + DELIVERY_TIMEOUT_MS + ": must be >= " + LINGER_MS + " + " + REQUEST_TIMEOUT_MS + " = "
                    + (lingerMs + requestTimeoutMs) + " so a batch can linger and get one answer in time");
        }
        if (retryBackoffMaxMs < retryBackoffMs) {
            throw new ConfigException("Invalid value " + retryBackoffMaxMs + " for configuration "
                    + RETRY_BACKOFF_MAX_MS + ": must be >= " + RETRY_BACKOFF_MS + " (" + retryBackoffMs + ")");
        }
        final boolean explicit = given.containsKey(ENABLE_IDEMPOTENCE);
        final boolean wanted = (Boolean) value(ENABLE_IDEMPOTENCE);
        String conflict = null;
        if (acks != -1) {
            conflict = "acks must be all (-1) for idempotence, got " + given.get(ACKS);
        } else if (maxInFlight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
            conflict = MAX_IN_FLIGHT + " must be at most " + MAX_IN_FLIGHT_FOR_IDEMPOTENCE
                    + " for idempotence, got " + maxInFlight;
        } else if (retries == 0) {
            conflict = RETRIES + " must be > 0 for idempotence";
        }
        if (wanted && explicit && conflict != null) {
            throw new ConfigException("Inconsistent configuration with " + ENABLE_IDEMPOTENCE + "=true: "
                    + conflict + "; set " + ENABLE_IDEMPOTENCE + "=false or change that setting");
        }
        this.idempotence = wanted && conflict == null;
    }

    /** A new builder with every key at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A config from Kafka-style properties. Values may be strings or typed (Integer, Long, Boolean,
     * Class for serializers and partitioner).
     *
     * @throws ConfigException for an unknown key, an invalid value or an inconsistent combination
     */
    public static ProducerConfig fromProperties(Map<String, ?> properties) {
        return builder().setAll(properties).build();
    }

    private Object value(String name) {
        return values.get(name);
    }

    /** The keys and values as given (not defaults). */
    public Map<String, Object> originals() {
        return originals;
    }

    public List<String> bootstrapServers() {
        return bootstrapServers;
    }

    public String clientId() {
        return clientId;
    }

    /** -1 (all), 0 or 1. */
    public short acks() {
        return acks;
    }

    /** Whether the producer is idempotent, after the Kafka rules described in the class comment. */
    public boolean idempotence() {
        return idempotence;
    }

    public long lingerMs() {
        return lingerMs;
    }

    public int batchSize() {
        return batchSize;
    }

    public long bufferMemory() {
        return bufferMemory;
    }

    public long maxBlockMs() {
        return maxBlockMs;
    }

    public int deliveryTimeoutMs() {
        return deliveryTimeoutMs;
    }

    public int requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public int retries() {
        return retries;
    }

    public long retryBackoffMs() {
        return retryBackoffMs;
    }

    public long retryBackoffMaxMs() {
        return retryBackoffMaxMs;
    }

    public long reconnectBackoffMs() {
        return reconnectBackoffMs;
    }

    public long reconnectBackoffMaxMs() {
        return reconnectBackoffMaxMs;
    }

    public int maxInFlightRequestsPerConnection() {
        return maxInFlight;
    }

    public CompressionType compressionType() {
        return compressionType;
    }

    public int maxRequestSize() {
        return maxRequestSize;
    }

    public long metadataMaxAgeMs() {
        return metadataMaxAgeMs;
    }

    /** A Class, a class name or a Partitioner instance; null for the built-in partitioner. */
    public Object partitionerClass() {
        return partitionerClass;
    }

    public boolean partitionerIgnoreKeys() {
        return partitionerIgnoreKeys;
    }

    public boolean adaptivePartitioning() {
        return adaptivePartitioning;
    }

    public long partitionerAvailabilityTimeoutMs() {
        return partitionerAvailabilityTimeoutMs;
    }

    /** A Class, a class name or a Serializer instance; null when the serializer is passed in code. */
    public Object keySerializer() {
        return keySerializer;
    }

    /** A Class, a class name or a Serializer instance; null when the serializer is passed in code. */
    public Object valueSerializer() {
        return valueSerializer;
    }

    @Override
    public String toString() {
        return "ProducerConfig" + originals;
    }

    /** Typed setters for every key; {@link #set} takes any key by name. */
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

        /** "all", "-1", "0" or "1". */
        public Builder acks(String acks) {
            return set(ACKS, acks);
        }

        public Builder enableIdempotence(boolean enable) {
            return set(ENABLE_IDEMPOTENCE, enable);
        }

        public Builder lingerMs(long ms) {
            return set(LINGER_MS, ms);
        }

        public Builder batchSize(int bytes) {
            return set(BATCH_SIZE, bytes);
        }

        public Builder bufferMemory(long bytes) {
            return set(BUFFER_MEMORY, bytes);
        }

        public Builder maxBlockMs(long ms) {
            return set(MAX_BLOCK_MS, ms);
        }

        public Builder deliveryTimeoutMs(int ms) {
            return set(DELIVERY_TIMEOUT_MS, ms);
        }

        public Builder requestTimeoutMs(int ms) {
            return set(REQUEST_TIMEOUT_MS, ms);
        }

        public Builder retries(int retries) {
            return set(RETRIES, retries);
        }

        public Builder retryBackoffMs(long ms) {
            return set(RETRY_BACKOFF_MS, ms);
        }

        public Builder retryBackoffMaxMs(long ms) {
            return set(RETRY_BACKOFF_MAX_MS, ms);
        }

        public Builder maxInFlightRequestsPerConnection(int n) {
            return set(MAX_IN_FLIGHT, n);
        }

        /** "none", "gzip", "snappy", "lz4" or "zstd". */
        public Builder compressionType(String type) {
            return set(COMPRESSION_TYPE, type);
        }

        public Builder maxRequestSize(int bytes) {
            return set(MAX_REQUEST_SIZE, bytes);
        }

        public Builder metadataMaxAgeMs(long ms) {
            return set(METADATA_MAX_AGE_MS, ms);
        }

        /** A Class, a class name or a {@link Partitioner} instance. */
        public Builder partitioner(Object partitioner) {
            return set(PARTITIONER_CLASS, partitioner);
        }

        public Builder partitionerIgnoreKeys(boolean ignore) {
            return set(PARTITIONER_IGNORE_KEYS, ignore);
        }

        /**
         * @throws ConfigException for an unknown key, an invalid value or an inconsistent combination
         */
        public ProducerConfig build() {
            return new ProducerConfig(values);
        }
    }
}

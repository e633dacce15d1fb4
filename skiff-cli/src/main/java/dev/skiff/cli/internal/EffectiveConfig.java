package dev.skiff.cli.internal;

import dev.skiff.client.producer.ProducerConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A producer's effective configuration as {@code key = value} pairs: the values the producer actually
 * runs with (defaults applied, idempotence resolved), in the order that tells the production-flow story.
 */
public final class EffectiveConfig {
    private EffectiveConfig() {
    }

    /** Every key that shapes the flow, with its effective value. */
    public static Map<String, String> of(ProducerConfig c) {
        final Map<String, String> m = new LinkedHashMap<>();
        m.put(ProducerConfig.BOOTSTRAP_SERVERS, String.join(",", c.bootstrapServers()));
        m.put(ProducerConfig.CLIENT_ID, c.clientId());
        m.put(ProducerConfig.ACKS, c.acks() == -1 ? "all" : Short.toString(c.acks()));
        m.put(ProducerConfig.ENABLE_IDEMPOTENCE, Boolean.toString(c.idempotence()));
        m.put(ProducerConfig.COMPRESSION_TYPE, c.compressionType().name().toLowerCase(Locale.ROOT));
        m.put(ProducerConfig.BATCH_SIZE, Integer.toString(c.batchSize()));
        m.put(ProducerConfig.LINGER_MS, Long.toString(c.lingerMs()));
        m.put(ProducerConfig.BUFFER_MEMORY, Long.toString(c.bufferMemory()));
        m.put(ProducerConfig.MAX_IN_FLIGHT, Integer.toString(c.maxInFlightRequestsPerConnection()));
        m.put(ProducerConfig.MAX_REQUEST_SIZE, Integer.toString(c.maxRequestSize()));
        m.put(ProducerConfig.RETRIES, Integer.toString(c.retries()));
        m.put(ProducerConfig.DELIVERY_TIMEOUT_MS, Integer.toString(c.deliveryTimeoutMs()));
        m.put(ProducerConfig.REQUEST_TIMEOUT_MS, Integer.toString(c.requestTimeoutMs()));
        m.put(ProducerConfig.MAX_BLOCK_MS, Long.toString(c.maxBlockMs()));
        m.put(ProducerConfig.PARTITIONER_ADAPTIVE, Boolean.toString(c.adaptivePartitioning()));
        m.put(ProducerConfig.PARTITIONER_IGNORE_KEYS, Boolean.toString(c.partitionerIgnoreKeys()));
        return m;
    }

    /**
     * The configuration as aligned lines, each prefixed by {@code indent}; keys set explicitly are
     * marked so a reader sees what differs from Kafka's defaults.
     */
    public static String format(ProducerConfig c, String indent) {
        final Map<String, String> m = of(c);
        final int width = m.keySet().stream().mapToInt(String::length).max().orElse(0);
        final StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : m.entrySet()) {
            sb.append(indent).append(String.format(Locale.ROOT, "%-" + width + "s = %s", e.getKey(), e.getValue()));
            if (c.originals().containsKey(e.getKey()) && !ProducerConfig.BOOTSTRAP_SERVERS.equals(e.getKey())) {
                sb.append("   (set)");
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}

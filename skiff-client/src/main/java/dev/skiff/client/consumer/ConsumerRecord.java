package dev.skiff.client.consumer;

import dev.skiff.client.serde.Headers;

/**
 * A record read by {@link SimpleConsumer#poll}.
 *
 * @param topic               the topic
 * @param partition           the partition
 * @param offset              the record's offset in its partition
 * @param timestamp           the timestamp (ms since the epoch), of the kind {@code timestampType} says
 * @param timestampType       create time or log append time
 * @param key                 the deserialized key, possibly null
 * @param value               the deserialized value, possibly null
 * @param headers             the headers (read-only)
 * @param serializedKeySize   the key's size in bytes, -1 for a null key
 * @param serializedValueSize the value's size in bytes, -1 for a null value
 * @param <K>                 the key type
 * @param <V>                 the value type
 */
public record ConsumerRecord<K, V>(String topic, int partition, long offset, long timestamp,
                                   TimestampType timestampType, K key, V value, Headers headers,
                                   int serializedKeySize, int serializedValueSize) {
}

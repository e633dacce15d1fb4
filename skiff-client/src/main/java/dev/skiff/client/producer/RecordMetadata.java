package dev.skiff.client.producer;

/**
 * Where an acknowledged record landed.
 *
 * @param topic               the topic
 * @param partition           the partition
 * @param offset              the record's offset, or -1 when acks=0 (the broker does not answer)
 * @param timestamp           the record's timestamp (CreateTime, as sent)
 * @param serializedKeySize   key bytes, or -1 for a null key
 * @param serializedValueSize value bytes, or -1 for a null value
 */
public record RecordMetadata(String topic, int partition, long offset, long timestamp, int serializedKeySize,
                             int serializedValueSize) {
    /** Whether the broker reported an offset (false for acks=0). */
    public boolean hasOffset() {
        return offset >= 0;
    }
}

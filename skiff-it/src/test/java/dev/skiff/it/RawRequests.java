package dev.skiff.it;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Request bodies for {@link RawKafkaConnection}, built with kafka-clients' message classes exactly as a
 * Kafka client would fill them, so a test changes only the one thing it means to break.
 */
final class RawRequests {
    private RawRequests() {
    }

    /** Metadata for {@code topics} by name (auto-creation allowed if the broker allows it). */
    static MetadataRequestData metadataRequest(String... topics) {
        final MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(true);
        for (String topic : topics) {
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic)
                    .setTopicId(Uuid.ZERO_UUID));
        }
        return request;
    }

    /** A sessionless consumer Fetch (replica -1) of one partition from {@code offset}, 1 MiB limits. */
    static FetchRequestData fetchRequest(String topic, int partition, long offset, int maxWaitMs) {
        final FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic().setTopic(topic);
        fetchTopic.partitions().add(new FetchRequestData.FetchPartition()
                .setPartition(partition)
                .setCurrentLeaderEpoch(-1)
                .setFetchOffset(offset)
                .setLastFetchedEpoch(-1)
                .setLogStartOffset(-1)
                .setPartitionMaxBytes(1024 * 1024));
        return new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(maxWaitMs)
                .setMinBytes(1)
                .setMaxBytes(1024 * 1024)
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(new ArrayList<>(List.of(fetchTopic)))
                .setRackId("");
    }

    /** The record values of a fetched partition, decoded as UTF-8. */
    static List<String> values(FetchResponseData.PartitionData partition) {
        final List<String> values = new ArrayList<>();
        for (Record record : ((MemoryRecords) partition.records()).records()) {
            values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
        }
        return values;
    }

    /** Produce of {@code records} (taken as is, valid or not) to one partition, without a transactional id. */
    static ProduceRequestData produceRequest(String topic, int partition, short acks, ByteBuffer records) {
        final ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData()
                .setName(topic);
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData()
                .setIndex(partition)
                .setRecords(MemoryRecords.readableRecords(records)));
        final ProduceRequestData request = new ProduceRequestData()
                .setAcks(acks)
                .setTimeoutMs(10_000)
                .setTransactionalId(null);
        request.topicData().add(topicData);
        return request;
    }

    /** A well-formed, uncompressed v2 batch with one record, built by Kafka's own record classes. */
    static ByteBuffer validBatch(String value) {
        return MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(System.currentTimeMillis(), "key".getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8))).buffer();
    }
}

package dev.skiff.client.admin.internal;

import dev.skiff.client.TopicPartition;
import dev.skiff.client.admin.ConfigValue;
import dev.skiff.client.admin.PartitionInfo;
import dev.skiff.client.admin.TopicDescription;
import dev.skiff.client.internal.Node;
import dev.skiff.client.internal.OffsetLookup;
import dev.skiff.client.internal.SyncClient;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.Uuids;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.DescribeConfigsRequestData;
import dev.skiff.protocol.message.DescribeConfigsResponseData;
import dev.skiff.protocol.message.MetadataResponseData;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a {@link TopicDescription} from three answers: Metadata (partitions, leaders, replicas, ISR,
 * id), ListOffsets to each leader (start and end offsets) and DescribeConfigs (configuration and where
 * each value comes from).
 */
public final class TopicDescriber {
    /** Topic resource type in DescribeConfigs and IncrementalAlterConfigs. */
    public static final byte TOPIC_RESOURCE = 2;

    /** Kafka's config source codes (DescribeConfigs v1+), as the admin API names them. */
    private static final String[] SOURCES = {"UNKNOWN", "DYNAMIC_TOPIC_CONFIG", "DYNAMIC_BROKER_CONFIG",
        "DYNAMIC_DEFAULT_BROKER_CONFIG", "STATIC_BROKER_CONFIG", "DEFAULT_CONFIG", "DYNAMIC_BROKER_LOGGER_CONFIG",
        "DYNAMIC_CLIENT_METRICS_CONFIG", "DYNAMIC_GROUP_CONFIG"};
    private static final byte DEFAULT_CONFIG = 5;

    private final SyncClient client;

    public TopicDescriber(SyncClient client) {
        this.client = client;
    }

    /**
     * @throws dev.skiff.client.admin.AdminException when the topic does not exist or cannot be described
     */
    public TopicDescription describe(String name, long deadlineNanos, long retryBackoffMs) {
        final MetadataResponseData.MetadataResponseTopic topic = metadata(name, deadlineNanos, retryBackoffMs);
        final List<MetadataResponseData.MetadataResponsePartition> parts = new ArrayList<>(topic.partitions());
        parts.sort(Comparator.comparingInt(MetadataResponseData.MetadataResponsePartition::partitionIndex));
        final Map<TopicPartition, Long> earliest = new HashMap<>();
        final Map<TopicPartition, Long> latest = new HashMap<>();
        for (MetadataResponseData.MetadataResponsePartition p : parts) {
            earliest.put(new TopicPartition(name, p.partitionIndex()), OffsetLookup.EARLIEST);
            latest.put(new TopicPartition(name, p.partitionIndex()), OffsetLookup.LATEST);
        }
        final OffsetLookup lookup = new OffsetLookup(client);
        final Map<TopicPartition, OffsetLookup.Result> starts = lookup.lookup(earliest, (byte) 0, deadlineNanos);
        final Map<TopicPartition, OffsetLookup.Result> ends = lookup.lookup(latest, (byte) 0, deadlineNanos);
        final List<PartitionInfo> partitions = new ArrayList<>();
        for (MetadataResponseData.MetadataResponsePartition p : parts) {
            final TopicPartition tp = new TopicPartition(name, p.partitionIndex());
            partitions.add(new PartitionInfo(p.partitionIndex(), p.leaderId(), List.copyOf(p.replicaNodes()),
                    List.copyOf(p.isrNodes()), offset(starts.get(tp)), offset(ends.get(tp))));
        }
        final java.util.UUID id = topic.topicId() == null || Uuids.ZERO.equals(topic.topicId()) ? null
                : topic.topicId();
        return new TopicDescription(name, id, List.copyOf(partitions), configs(name, deadlineNanos));
    }

    private static long offset(OffsetLookup.Result r) {
        return r == null || r.error() != Errors.NONE ? -1 : r.offset();
    }

    /** The topic's metadata, waiting out a missing leader briefly; other errors are thrown. */
    MetadataResponseData.MetadataResponseTopic metadata(String name, long deadlineNanos, long retryBackoffMs) {
        while (true) {
            final MetadataResponseData response = client.fetchMetadata(List.of(name), deadlineNanos);
            for (MetadataResponseData.MetadataResponseTopic t : response.topics()) {
                if (!name.equals(t.name())) {
                    continue;
                }
                final Errors error = Errors.forCode(t.errorCode());
                if (error == Errors.NONE) {
                    return t;
                }
                if (error != Errors.LEADER_NOT_AVAILABLE || System.nanoTime() - deadlineNanos >= 0) {
                    throw AdminErrors.topic("describe topic", name, error, null);
                }
            }
            client.pollUntil(() -> false, Math.min(deadlineNanos, SyncClient.deadline(retryBackoffMs)));
        }
    }

    private Map<String, ConfigValue> configs(String name, long deadlineNanos) {
        final Node node = client.anyReadyNode(deadlineNanos);
        if (!client.supports(node, ApiKeys.DESCRIBE_CONFIGS, (short) 1)) {
            return Collections.emptyMap();
        }
        final short version = client.version(node, ApiKeys.DESCRIBE_CONFIGS, (short) 1);
        final DescribeConfigsRequestData request = new DescribeConfigsRequestData()
                .setIncludeSynonyms(false)
                .setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(TOPIC_RESOURCE).setResourceName(name).setConfigurationKeys(null)));
        final DescribeConfigsResponseData response = (DescribeConfigsResponseData) client.send(node, request, version,
                deadlineNanos);
        final Map<String, ConfigValue> configs = new TreeMap<>();
        for (DescribeConfigsResponseData.DescribeConfigsResult r : response.results()) {
            final Errors error = Errors.forCode(r.errorCode());
            if (error != Errors.NONE) {
                throw AdminErrors.topic("describe configs of topic", name, error, r.errorMessage());
            }
            for (DescribeConfigsResponseData.DescribeConfigsResourceResult c : r.configs()) {
                final byte source = c.configSource();
                configs.put(c.name(), new ConfigValue(c.isSensitive() ? null : c.value(),
                        source >= 0 && source < SOURCES.length ? SOURCES[source] : "UNKNOWN",
                        source == DEFAULT_CONFIG));
            }
        }
        return Collections.unmodifiableMap(configs);
    }
}

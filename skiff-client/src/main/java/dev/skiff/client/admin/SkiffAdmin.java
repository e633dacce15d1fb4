package dev.skiff.client.admin;

import dev.skiff.client.admin.internal.AdminErrors;
import dev.skiff.client.admin.internal.AdminSettings;
import dev.skiff.client.admin.internal.TopicDescriber;
import dev.skiff.client.internal.ClientRequestException;
import dev.skiff.client.internal.Node;
import dev.skiff.client.internal.SyncClient;
import dev.skiff.client.internal.TopicInfo;
import dev.skiff.protocol.ApiMessage;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.CreatePartitionsRequestData;
import dev.skiff.protocol.message.CreatePartitionsResponseData;
import dev.skiff.protocol.message.CreateTopicsRequestData;
import dev.skiff.protocol.message.CreateTopicsResponseData;
import dev.skiff.protocol.message.DeleteTopicsRequestData;
import dev.skiff.protocol.message.DeleteTopicsResponseData;
import dev.skiff.protocol.message.DescribeClusterRequestData;
import dev.skiff.protocol.message.DescribeClusterResponseData;
import dev.skiff.protocol.message.IncrementalAlterConfigsRequestData;
import dev.skiff.protocol.message.IncrementalAlterConfigsResponseData;
import dev.skiff.protocol.message.MetadataResponseData;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * Creates, lists, describes, alters and deletes topics, and describes the cluster, on Skiff or any Kafka
 * broker. Every call waits for the broker's answer and fails with an {@link AdminException} whose message
 * says what to do.
 *
 * <pre>{@code
 * try (SkiffAdmin admin = SkiffAdmin.create("127.0.0.1:9092")) {
 *     admin.createTopic("orders", 6, Map.of("retention.ms", "86400000"));
 *     TopicDescription orders = admin.describeTopic("orders");
 * }
 * }</pre>
 *
 * <p>Unlike Kafka's AdminClient, a create, delete or partition change returns once the broker's metadata
 * shows it (bounded by request.timeout.ms), since Kafka applies them asynchronously; the next call sees
 * the new state. Before any broker has answered, an unreachable bootstrap list is reported within a few
 * seconds, naming each address and why it failed. Thread-safe: calls are serialized.
 */
public final class SkiffAdmin implements AutoCloseable {
    private static final short CREATE_TOPICS_MIN = 2;
    private static final byte SET = 0;
    private static final byte DELETE = 1;

    private final AdminSettings settings;
    private final SyncClient client;
    private final TopicDescriber describer;
    private boolean closed;

    private SkiffAdmin(AdminSettings settings) {
        this.settings = settings;
        this.client = new SyncClient(settings.bootstrapServers(), settings.clientId(), settings.requestTimeoutMs(),
                settings.reconnectBackoffMs(), settings.reconnectBackoffMaxMs(), Long.MAX_VALUE / 4);
        this.describer = new TopicDescriber(client);
    }

    /** An admin for {@code bootstrapServers} ({@code host:port,...}) with default settings. */
    public static SkiffAdmin create(String bootstrapServers) {
        return create(Map.of(AdminSettings.BOOTSTRAP_SERVERS, bootstrapServers));
    }

    /**
     * An admin from Kafka-style properties: bootstrap.servers (required), client.id, request.timeout.ms
     * (30000), default.api.timeout.ms (60000), retry.backoff.ms, reconnect.backoff.ms,
     * reconnect.backoff.max.ms.
     *
     * @throws dev.skiff.client.producer.ConfigException for an unknown key or an invalid value
     */
    public static SkiffAdmin create(Map<String, ?> properties) {
        return new SkiffAdmin(AdminSettings.parse(properties));
    }

    /** Creates a topic with replication factor 1 (Skiff's only one; on Kafka a single copy). */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        createTopic(name, partitions, (short) 1, configs);
    }

    /**
     * Creates a topic and waits until the broker's metadata shows it.
     *
     * @param partitions        the partition count (-1 for the broker's default)
     * @param replicationFactor copies of each partition (-1 for the broker's default)
     * @param configs           topic configuration overrides, may be empty or null
     */
    public synchronized void createTopic(String name, int partitions, short replicationFactor,
                                         Map<String, String> configs) {
        Objects.requireNonNull(name, "name");
        run(deadline -> {
            final List<CreateTopicsRequestData.CreatableTopicConfig> list = new ArrayList<>();
            if (configs != null) {
                configs.forEach((k, v) -> list.add(new CreateTopicsRequestData.CreatableTopicConfig()
                        .setName(k).setValue(v)));
            }
            final CreateTopicsRequestData request = new CreateTopicsRequestData()
                    .setTimeoutMs(settings.requestTimeoutMs())
                    .setTopics(List.of(new CreateTopicsRequestData.CreatableTopic()
                            .setName(name).setNumPartitions(partitions).setReplicationFactor(replicationFactor)
                            .setAssignments(new ArrayList<>()).setConfigs(list)));
            final CreateTopicsResponseData response = (CreateTopicsResponseData) controllerCall(request,
                    ApiKeys.CREATE_TOPICS, CREATE_TOPICS_MIN, deadline);
            for (CreateTopicsResponseData.CreatableTopicResult r : response.topics()) {
                final Errors error = Errors.forCode(r.errorCode());
                if (error != Errors.NONE) {
                    throw AdminErrors.topic("create topic", name, error, r.errorMessage());
                }
            }
            awaitMetadata(name, info -> info != null && info.error() == Errors.NONE && info.partitionCount() > 0
                    && (partitions <= 0 || info.partitionCount() == partitions) && allLed(info));
            return null;
        });
    }

    /** Names of every topic except internal ones (such as __consumer_offsets), sorted. */
    public synchronized List<String> listTopics() {
        return run(deadline -> {
            final MetadataResponseData response = client.fetchMetadata(null, deadline);
            final List<String> names = new ArrayList<>();
            for (MetadataResponseData.MetadataResponseTopic t : response.topics()) {
                if (t.name() != null && !t.isInternal()) {
                    names.add(t.name());
                }
            }
            names.sort(Comparator.naturalOrder());
            return List.copyOf(names);
        });
    }

    /**
     * Partitions (leader, replicas, ISR, start and end offsets), id and configuration of a topic.
     *
     * @throws AdminException with UNKNOWN_TOPIC_OR_PARTITION when the topic does not exist
     */
    public synchronized TopicDescription describeTopic(String name) {
        Objects.requireNonNull(name, "name");
        return run(deadline -> describer.describe(name, deadline, settings.retryBackoffMs()));
    }

    /** Deletes a topic and waits until the broker's metadata no longer shows it. */
    public synchronized void deleteTopic(String name) {
        Objects.requireNonNull(name, "name");
        run(deadline -> {
            final Node node = client.anyReadyNode(deadline);
            final short version = client.version(node, ApiKeys.DELETE_TOPICS, (short) 1);
            final DeleteTopicsRequestData request = new DeleteTopicsRequestData()
                    .setTimeoutMs(settings.requestTimeoutMs());
            if (version >= 6) {
                request.setTopics(List.of(new DeleteTopicsRequestData.DeleteTopicState().setName(name)));
            } else {
                request.setTopicNames(List.of(name));
            }
            final DeleteTopicsResponseData response = (DeleteTopicsResponseData) client.send(node, request, version,
                    deadline);
            for (DeleteTopicsResponseData.DeletableTopicResult r : response.responses()) {
                final Errors error = Errors.forCode(r.errorCode());
                if (error != Errors.NONE) {
                    throw AdminErrors.topic("delete topic", name, error, r.errorMessage());
                }
            }
            awaitMetadata(name, info -> info != null && info.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION);
            return null;
        });
    }

    /**
     * Grows a topic to {@code totalPartitions} partitions and waits until metadata shows them.
     *
     * @throws AdminException with INVALID_PARTITIONS when the count is not above the current one
     */
    public synchronized void createPartitions(String name, int totalPartitions) {
        Objects.requireNonNull(name, "name");
        run(deadline -> {
            final CreatePartitionsRequestData request = new CreatePartitionsRequestData()
                    .setTimeoutMs(settings.requestTimeoutMs())
                    .setValidateOnly(false)
                    .setTopics(List.of(new CreatePartitionsRequestData.CreatePartitionsTopic()
                            .setName(name).setCount(totalPartitions).setAssignments(null)));
            final CreatePartitionsResponseData response = (CreatePartitionsResponseData) controllerCall(request,
                    ApiKeys.CREATE_PARTITIONS, (short) 0, deadline);
            for (CreatePartitionsResponseData.CreatePartitionsTopicResult r : response.results()) {
                final Errors error = Errors.forCode(r.errorCode());
                if (error != Errors.NONE) {
                    throw AdminErrors.topic("add partitions to topic", name, error, r.errorMessage());
                }
            }
            awaitMetadata(name, info -> info != null && info.error() == Errors.NONE
                    && info.partitionCount() >= totalPartitions && allLed(info));
            return null;
        });
    }

    /**
     * Sets and removes topic configuration overrides with IncrementalAlterConfigs; removed keys return to
     * their defaults.
     *
     * @param set    keys to set, may be empty or null
     * @param delete keys to remove, may be empty or null
     * @throws AdminException with UNSUPPORTED_VERSION when the broker does not speak IncrementalAlterConfigs
     */
    public synchronized void alterTopicConfigs(String name, Map<String, String> set, Set<String> delete) {
        Objects.requireNonNull(name, "name");
        run(deadline -> {
            final Node node = client.anyReadyNode(deadline);
            if (!client.supports(node, ApiKeys.INCREMENTAL_ALTER_CONFIGS, (short) 0)) {
                throw new AdminException("Cannot alter configs of topic '" + name + "': broker " + node.address()
                        + " does not support IncrementalAlterConfigs; recreate the topic with the configs you need, "
                        + "or use a broker that supports altering them (Apache Kafka 2.3 or later)",
                        Errors.UNSUPPORTED_VERSION);
            }
            final short version = client.version(node, ApiKeys.INCREMENTAL_ALTER_CONFIGS, (short) 0);
            final List<IncrementalAlterConfigsRequestData.AlterableConfig> configs = new ArrayList<>();
            if (set != null) {
                set.forEach((k, v) -> configs.add(new IncrementalAlterConfigsRequestData.AlterableConfig()
                        .setName(k).setValue(v).setConfigOperation(SET)));
            }
            if (delete != null) {
                for (String k : delete) {
                    configs.add(new IncrementalAlterConfigsRequestData.AlterableConfig()
                            .setName(k).setValue(null).setConfigOperation(DELETE));
                }
            }
            final IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData()
                    .setValidateOnly(false)
                    .setResources(List.of(new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                            .setResourceType(TopicDescriber.TOPIC_RESOURCE).setResourceName(name)
                            .setConfigs(configs)));
            final IncrementalAlterConfigsResponseData response = (IncrementalAlterConfigsResponseData) client.send(
                    node, request, version, deadline);
            for (IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse r : response.responses()) {
                final Errors error = Errors.forCode(r.errorCode());
                if (error != Errors.NONE) {
                    throw AdminErrors.topic("alter configs of topic", name, error, r.errorMessage());
                }
            }
            return null;
        });
    }

    /** The cluster id, the controller and the brokers (DescribeCluster when supported, else Metadata). */
    public synchronized ClusterDescription describeCluster() {
        return run(deadline -> {
            final Node node = client.anyReadyNode(deadline);
            final List<NodeInfo> nodes = new ArrayList<>();
            final ClusterDescription description;
            if (client.supports(node, ApiKeys.DESCRIBE_CLUSTER, (short) 0)) {
                final short version = client.version(node, ApiKeys.DESCRIBE_CLUSTER, (short) 0);
                final DescribeClusterResponseData r = (DescribeClusterResponseData) client.send(node,
                        new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(false), version,
                        deadline);
                final Errors error = Errors.forCode(r.errorCode());
                if (error != Errors.NONE) {
                    throw new AdminException("Cannot describe the cluster: " + error + " (" + (r.errorMessage() == null
                            ? error.message() : r.errorMessage()) + ")", error);
                }
                for (DescribeClusterResponseData.DescribeClusterBroker b : r.brokers()) {
                    nodes.add(new NodeInfo(b.brokerId(), b.host(), b.port()));
                }
                nodes.sort(Comparator.comparingInt(NodeInfo::id));
                description = new ClusterDescription(r.clusterId(), r.controllerId(), List.copyOf(nodes));
            } else {
                final MetadataResponseData r = client.fetchMetadata(List.of(), deadline);
                for (MetadataResponseData.MetadataResponseBroker b : r.brokers()) {
                    nodes.add(new NodeInfo(b.nodeId(), b.host(), b.port()));
                }
                nodes.sort(Comparator.comparingInt(NodeInfo::id));
                description = new ClusterDescription(r.clusterId(), r.controllerId(), List.copyOf(nodes));
            }
            return description;
        });
    }

    /** Closes the connections. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            client.close();
        }
    }

    // ---- helpers ----

    /** Runs one admin call within default.api.timeout.ms, turning network failures into AdminExceptions. */
    private <T> T run(LongFunction<T> call) {
        if (closed) {
            throw new IllegalStateException("the admin client is closed");
        }
        try {
            return call.apply(SyncClient.deadline(settings.defaultApiTimeoutMs()));
        } catch (ClientRequestException e) {
            throw AdminErrors.network(e);
        }
    }

    /**
     * Sends a request that a KRaft broker forwards to the controller, retrying NOT_CONTROLLER answers
     * (which old brokers give when asked directly) after a metadata refresh.
     */
    private ApiMessage controllerCall(ApiMessage request, ApiKeys api, short minVersion, long deadline) {
        while (true) {
            final Node node = client.anyReadyNode(deadline);
            final short version = client.version(node, api, minVersion);
            final ApiMessage response = client.send(node, request, version, deadline);
            if (!notController(response) || System.nanoTime() - deadline >= 0) {
                return response;
            }
            client.pollUntil(() -> false, Math.min(deadline, SyncClient.deadline(settings.retryBackoffMs())));
            client.fetchMetadata(List.of(), deadline);
        }
    }

    private static boolean notController(ApiMessage response) {
        if (response instanceof CreateTopicsResponseData r) {
            return r.topics().stream().anyMatch(t -> t.errorCode() == Errors.NOT_CONTROLLER.code());
        }
        if (response instanceof CreatePartitionsResponseData r) {
            return r.results().stream().anyMatch(t -> t.errorCode() == Errors.NOT_CONTROLLER.code());
        }
        return false;
    }

    private static boolean allLed(TopicInfo info) {
        for (int p = 0; p < info.partitionCount(); p++) {
            if (info.leader(p) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits (at most request.timeout.ms) until metadata about {@code name} satisfies {@code done}. Kafka
     * applies topic changes asynchronously; returning before brokers know of them would surprise the next
     * call. A timeout here is not an error: the change itself succeeded.
     */
    private void awaitMetadata(String name, Predicate<TopicInfo> done) {
        final long deadline = SyncClient.deadline(settings.requestTimeoutMs());
        while (System.nanoTime() - deadline < 0) {
            try {
                client.fetchMetadata(List.of(name), deadline);
            } catch (ClientRequestException e) {
                return;
            }
            if (done.test(client.metadata().topic(name))) {
                return;
            }
            client.pollUntil(() -> false, Math.min(deadline, SyncClient.deadline(Math.max(10,
                    settings.retryBackoffMs() / 2))));
        }
    }
}

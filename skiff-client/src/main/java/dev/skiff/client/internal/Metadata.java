package dev.skiff.client.internal;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.MetadataRequestData;
import dev.skiff.protocol.message.MetadataResponseData;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The client's view of the cluster: brokers and, for the topics it uses, partitions and leaders.
 *
 * <p>Written only by the network thread; {@link #topic} and {@link #node} read an immutable snapshot
 * and are safe from any thread. A refresh is due when a topic is new, when an error suggested the view
 * is stale ({@link #requestUpdate()}), or after metadata.max.age.ms.
 */
public final class Metadata {
    private final List<Node> bootstrap;
    private final long maxAgeNanos;
    private final Set<String> topics = new LinkedHashSet<>();
    private volatile Map<String, TopicInfo> topicInfos = Collections.emptyMap();
    private volatile Map<Integer, Node> nodes = Collections.emptyMap();
    private volatile String clusterId;
    private boolean updateRequested = true;
    /** Between {@link #updateSent()} and the answer: a request for a newer view made meanwhile must survive it. */
    private boolean sent;
    private boolean requestedWhileSent;
    private long lastUpdateNanos;
    private boolean everUpdated;

    public Metadata(List<String> bootstrapServers, long maxAgeMs) {
        final List<Node> list = new ArrayList<>();
        int id = -1;
        for (String hostPort : bootstrapServers) {
            final int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            list.add(new Node(id--, host, Integer.parseInt(hostPort.substring(colon + 1))));
        }
        this.bootstrap = List.copyOf(list);
        this.maxAgeNanos = TimeUnit.MILLISECONDS.toNanos(maxAgeMs);
    }

    public List<Node> bootstrapNodes() {
        return bootstrap;
    }

    /** Known brokers; the bootstrap list until the first answer. */
    public List<Node> nodes() {
        final Map<Integer, Node> n = nodes;
        return n.isEmpty() ? bootstrap : new ArrayList<>(n.values());
    }

    /** A broker by node id, or null. */
    public Node node(int id) {
        return nodes.get(id);
    }

    /** The topic's last known state, or null when never fetched. */
    public TopicInfo topic(String topic) {
        return topicInfos.get(topic);
    }

    public String clusterId() {
        return clusterId;
    }

    public boolean everUpdated() {
        return everUpdated;
    }

    /** Adds a topic to fetch; a new one makes an update due. Network thread only. */
    public void add(String topic) {
        if (topics.add(topic)) {
            updateRequested = true;
            requestedWhileSent |= sent;
        }
    }

    /** Marks the view stale. Network thread only. */
    public void requestUpdate() {
        updateRequested = true;
        requestedWhileSent |= sent;
    }

    /** Whether an update is due now. */
    public boolean updateDue(long nowNanos) {
        return updateRequested || nowNanos - lastUpdateNanos >= maxAgeNanos;
    }

    /** Nanos until an update is due (0 if due). */
    public long nanosUntilUpdate(long nowNanos) {
        return updateRequested ? 0 : Math.max(0, lastUpdateNanos + maxAgeNanos - nowNanos);
    }

    /** A request for the tracked topics, allowing the broker to auto-create them. */
    public MetadataRequestData buildRequest() {
        final MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(true);
        final List<MetadataRequestData.MetadataRequestTopic> list = new ArrayList<>();
        for (String t : topics) {
            list.add(new MetadataRequestData.MetadataRequestTopic().setName(t));
        }
        request.setTopics(list);
        return request;
    }

    /** Takes a sent request as the current update, so another is not sent until this one ends. */
    public void updateSent() {
        updateRequested = false;
        sent = true;
        requestedWhileSent = false;
    }

    /** The update failed (broken connection): try again soon. */
    public void updateFailed() {
        updateRequested = true;
        sent = false;
        requestedWhileSent = false;
    }

    /** Replaces the view with {@code response}. */
    public void update(MetadataResponseData response, long nowNanos) {
        final Map<Integer, Node> newNodes = new HashMap<>();
        for (MetadataResponseData.MetadataResponseBroker b : response.brokers()) {
            newNodes.put(b.nodeId(), new Node(b.nodeId(), b.host(), b.port()));
        }
        final Map<String, TopicInfo> newTopics = new HashMap<>();
        boolean retry = false;
        for (MetadataResponseData.MetadataResponseTopic t : response.topics()) {
            final Errors error = Errors.forCode(t.errorCode());
            if (t.name() == null) {
                continue;
            }
            int count = 0;
            for (MetadataResponseData.MetadataResponsePartition p : t.partitions()) {
                count = Math.max(count, p.partitionIndex() + 1);
            }
            final int[] leaders = new int[error == Errors.NONE ? count : 0];
            java.util.Arrays.fill(leaders, -1);
            if (error == Errors.NONE) {
                for (MetadataResponseData.MetadataResponsePartition p : t.partitions()) {
                    final boolean usable = p.errorCode() == Errors.NONE.code() && newNodes.containsKey(p.leaderId());
                    leaders[p.partitionIndex()] = usable ? p.leaderId() : -1;
                    retry |= !usable;
                }
            } else {
                retry |= error.isRetriable();
            }
            newTopics.put(t.name(), new TopicInfo(t.name(), t.topicId(), error, leaders));
        }
        if (!newNodes.isEmpty()) {
            nodes = newNodes;
        }
        topicInfos = newTopics;
        clusterId = response.clusterId();
        lastUpdateNanos = nowNanos;
        everUpdated = true;
        // A topic added (or staleness reported) after the request left is not in this answer: stay due.
        updateRequested = retry || requestedWhileSent;
        sent = false;
        requestedWhileSent = false;
    }
}

package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.cluster.Topic;
import dev.skiff.broker.internal.group.CommittedOffset;
import dev.skiff.broker.internal.group.GroupCoordinator;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.OffsetFetchRequestData;
import dev.skiff.protocol.message.OffsetFetchResponseData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetFetch (key 9), versions 1-10: one group up to v7, many groups from v8, topics by id from v10;
 * a null topic list (v2+) asks for every committed offset of the group.
 *
 * <p>A partition without a committed offset answers offset -1, leader epoch -1, empty metadata and no
 * error, as Kafka does; so does an unknown group. requireStable (v7+) needs no waiting: Skiff has no
 * transactions, so there are never pending transactional offsets. An unknown topic id (v10) gets
 * UNKNOWN_TOPIC_ID on each of its partitions. v9+ name the member asking: for a KIP-848 consumer group an
 * unknown member gets UNKNOWN_MEMBER_ID and a member at another epoch STALE_MEMBER_EPOCH (group-level
 * errors); admin fetches (no member id, epoch -1) are always served.
 */
public final class OffsetFetchHandler extends VersionedHandler {
    private final BrokerState state;
    private final GroupCoordinator coordinator;

    public OffsetFetchHandler(BrokerState state, GroupCoordinator coordinator) {
        super(ApiKeys.OFFSET_FETCH, 1, 10);
        this.state = state;
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext request) {
        final OffsetFetchRequestData body = (OffsetFetchRequestData) request.body();
        final short version = request.version();
        if (version < 8) {
            final Map<String, List<Integer>> requested = body.topics() == null ? null : new LinkedHashMap<>();
            if (requested != null) {
                for (OffsetFetchRequestData.OffsetFetchRequestTopic t : body.topics()) {
                    requested.computeIfAbsent(t.name(), n -> new ArrayList<>()).addAll(t.partitionIndexes());
                }
            }
            coordinator.fetchOffsets(body.groupId(), requested).whenComplete((offsets, failure) -> {
                final OffsetFetchResponseData response = new OffsetFetchResponseData();
                if (failure != null) {
                    request.respond(response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
                    return;
                }
                final Map<String, List<Integer>> answer = requested != null ? requested : allOf(offsets);
                answer.forEach((topic, partitions) -> {
                    final OffsetFetchResponseData.OffsetFetchResponseTopic rt =
                            new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic);
                    for (int p : partitions) {
                        final CommittedOffset o = offsets.getOrDefault(topic, Map.of()).get(p);
                        rt.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                                .setPartitionIndex(p)
                                .setCommittedOffset(o == null ? -1 : o.offset())
                                .setCommittedLeaderEpoch(o == null ? -1 : o.leaderEpoch())
                                .setMetadata(o == null || o.metadata() == null ? "" : o.metadata())
                                .setErrorCode(Errors.NONE.code()));
                    }
                    response.topics().add(rt);
                });
                request.respond(response.setErrorCode(Errors.NONE.code()));
            });
            return;
        }
        final List<CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup>> groups = new ArrayList<>();
        for (OffsetFetchRequestData.OffsetFetchRequestGroup g : body.groups()) {
            groups.add(fetchGroup(g, version));
        }
        CompletableFuture.allOf(groups.toArray(new CompletableFuture<?>[0])).whenComplete((ok, failure) -> {
            final OffsetFetchResponseData response = new OffsetFetchResponseData();
            for (int i = 0; i < groups.size(); i++) {
                final CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup> f = groups.get(i);
                response.groups().add(f.isCompletedExceptionally()
                        ? new OffsetFetchResponseData.OffsetFetchResponseGroup()
                                .setGroupId(body.groups().get(i).groupId())
                                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                        : f.join());
            }
            request.respond(response);
        });
    }

    private CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup> fetchGroup(
            OffsetFetchRequestData.OffsetFetchRequestGroup g, short version) {
        // Topic names the request used, with the id to echo back (v10) or null.
        final Map<String, UUID> ids = new LinkedHashMap<>();
        final Map<String, List<Integer>> requested = g.topics() == null ? null : new LinkedHashMap<>();
        final List<OffsetFetchResponseData.OffsetFetchResponseTopics> unknownIds = new ArrayList<>();
        if (requested != null) {
            for (OffsetFetchRequestData.OffsetFetchRequestTopics t : g.topics()) {
                String name = t.name();
                if (version >= 10) {
                    final Topic topic = state.topics().topic(t.topicId());
                    if (topic == null) {
                        unknownIds.add(unknownTopicId(t));
                        continue;
                    }
                    name = topic.name();
                    ids.put(name, t.topicId());
                }
                requested.computeIfAbsent(name, n -> new ArrayList<>()).addAll(t.partitionIndexes());
            }
        }
        final String memberId = version >= 9 ? g.memberId() : null;
        final int memberEpoch = version >= 9 ? g.memberEpoch() : -1;
        return coordinator.fetchOffsets(g.groupId(), memberId, memberEpoch, requested).thenApply(fetched -> {
            final OffsetFetchResponseData.OffsetFetchResponseGroup rg = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                    .setGroupId(g.groupId())
                    .setErrorCode(fetched.error().code());
            if (fetched.error() != Errors.NONE) {
                return rg;
            }
            final Map<String, Map<Integer, CommittedOffset>> offsets = fetched.offsets();
            final Map<String, List<Integer>> answer = requested != null ? requested : allOf(offsets);
            answer.forEach((topic, partitions) -> {
                final OffsetFetchResponseData.OffsetFetchResponseTopics rt =
                        new OffsetFetchResponseData.OffsetFetchResponseTopics();
                if (version >= 10) {
                    UUID id = ids.get(topic);
                    if (id == null) {
                        final Topic t = state.topics().topic(topic);
                        if (t == null) {
                            return; // offsets of a deleted topic cannot be named by id
                        }
                        id = t.id();
                    }
                    rt.setTopicId(id);
                } else {
                    rt.setName(topic);
                }
                for (int p : partitions) {
                    final CommittedOffset o = offsets.getOrDefault(topic, Map.of()).get(p);
                    rt.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                            .setPartitionIndex(p)
                            .setCommittedOffset(o == null ? -1 : o.offset())
                            .setCommittedLeaderEpoch(o == null ? -1 : o.leaderEpoch())
                            .setMetadata(o == null || o.metadata() == null ? "" : o.metadata())
                            .setErrorCode(Errors.NONE.code()));
                }
                rg.topics().add(rt);
            });
            rg.topics().addAll(unknownIds);
            return rg;
        });
    }

    private static OffsetFetchResponseData.OffsetFetchResponseTopics unknownTopicId(
            OffsetFetchRequestData.OffsetFetchRequestTopics t) {
        final OffsetFetchResponseData.OffsetFetchResponseTopics rt = new OffsetFetchResponseData.OffsetFetchResponseTopics()
                .setTopicId(t.topicId());
        for (int p : t.partitionIndexes()) {
            rt.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                    .setPartitionIndex(p).setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata("")
                    .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
        }
        return rt;
    }

    private static Map<String, List<Integer>> allOf(Map<String, Map<Integer, CommittedOffset>> offsets) {
        final Map<String, List<Integer>> all = new LinkedHashMap<>();
        offsets.forEach((topic, byPartition) -> all.put(topic, new ArrayList<>(byPartition.keySet())));
        return all;
    }
}

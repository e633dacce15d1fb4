package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.group.GroupCoordinator;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.skiff.protocol.message.ConsumerGroupHeartbeatResponseData;

/**
 * ConsumerGroupHeartbeat (key 68), versions 0-1: the KIP-848 consumer group protocol
 * ({@code group.protocol=consumer}). Registered only when group.coordinator.rebalance.protocols lists
 * "consumer"; kafka-clients checks for this API in ApiVersions before using the protocol.
 *
 * <p>Member epoch 0 joins, -1 leaves, -2 is a static member leaving for a while (it keeps its partitions
 * until its session expires); a positive epoch heartbeats. v1 members bring their own member id (v0 members
 * without one get an id from the coordinator). Errors as Kafka gives them: FENCED_MEMBER_EPOCH,
 * UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, UNRELEASED_INSTANCE_ID, UNSUPPORTED_ASSIGNOR, INVALID_REQUEST with a
 * message, and GROUP_ID_NOT_FOUND for a classic group with members. Consumer groups are kept in the group log,
 * so members carry on with their epochs across a broker restart. Differences from Kafka: a heartbeat for a
 * group the coordinator does not know gets UNKNOWN_MEMBER_ID so the client rejoins (Kafka's GROUP_ID_NOT_FOUND
 * is fatal to kafka-clients); SubscribedTopicRegex (v1) is refused with INVALID_REQUEST.
 */
public final class ConsumerGroupHeartbeatHandler extends VersionedHandler {
    private final GroupCoordinator coordinator;

    public ConsumerGroupHeartbeatHandler(GroupCoordinator coordinator) {
        super(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0, 1);
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext request) {
        final ConsumerGroupHeartbeatRequestData body = (ConsumerGroupHeartbeatRequestData) request.body();
        coordinator.consumerGroupHeartbeat(body, request.version(), request.clientId(),
                        JoinGroupHandler.clientHost(request.remoteAddress()))
                .whenComplete((response, failure) -> request.respond(failure == null ? response
                        : new ConsumerGroupHeartbeatResponseData()
                                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                                .setMemberId(body.memberId()).setMemberEpoch(-1)));
    }
}

package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.group.GroupCoordinator;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.ConsumerGroupDescribeRequestData;
import dev.skiff.protocol.message.ConsumerGroupDescribeResponseData;

/**
 * ConsumerGroupDescribe (key 69), versions 0-1: KIP-848 consumer groups with their epochs, assignor and
 * members (current and target assignments, with topic names; v1 adds the member type, always "consumer"
 * here). A classic group or an unknown id gets GROUP_ID_NOT_FOUND, on which AdminClient falls back to
 * DescribeGroups. Authorized operations are every group operation: Skiff has no authorizer.
 */
public final class ConsumerGroupDescribeHandler extends VersionedHandler {
    private final GroupCoordinator coordinator;

    public ConsumerGroupDescribeHandler(GroupCoordinator coordinator) {
        super(ApiKeys.CONSUMER_GROUP_DESCRIBE, 0, 1);
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext request) {
        final ConsumerGroupDescribeRequestData body = (ConsumerGroupDescribeRequestData) request.body();
        coordinator.consumerGroupDescribe(body.groupIds(), body.includeAuthorizedOperations())
                .whenComplete((groups, failure) -> {
                    final ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
                    if (failure == null) {
                        response.groups().addAll(groups);
                    } else {
                        for (String id : body.groupIds()) {
                            response.groups().add(new ConsumerGroupDescribeResponseData.DescribedGroup()
                                    .setGroupId(id).setGroupState("").setAssignorName("")
                                    .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
                        }
                    }
                    request.respond(response);
                });
    }
}

package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.group.GroupCoordinator;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.DescribeGroupsRequestData;
import dev.skiff.protocol.message.DescribeGroupsResponseData;

/**
 * DescribeGroups (key 15), versions 0-6.
 *
 * <p>State, protocol and members; members' metadata and assignments only while the group is Stable,
 * as Kafka shows them. An unknown group is described as "Dead" (with GROUP_ID_NOT_FOUND from v6).
 * Authorized operations (v3+) are every group operation: Skiff has no authorizer.
 */
public final class DescribeGroupsHandler extends VersionedHandler {
    private final GroupCoordinator coordinator;

    public DescribeGroupsHandler(GroupCoordinator coordinator) {
        super(ApiKeys.DESCRIBE_GROUPS, 0, 6);
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext request) {
        final DescribeGroupsRequestData body = (DescribeGroupsRequestData) request.body();
        final boolean includeOperations = request.version() >= 3 && body.includeAuthorizedOperations();
        coordinator.describeGroups(body.groups(), request.version(), includeOperations)
                .whenComplete((response, failure) -> {
                    if (failure == null) {
                        request.respond(response);
                        return;
                    }
                    final DescribeGroupsResponseData error = new DescribeGroupsResponseData();
                    for (String id : body.groups()) {
                        error.groups().add(new DescribeGroupsResponseData.DescribedGroup().setGroupId(id)
                                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()).setGroupState("")
                                .setProtocolType("").setProtocolData(""));
                    }
                    request.respond(error);
                });
    }
}

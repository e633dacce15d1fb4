package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.group.GroupCoordinator;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.DeleteGroupsRequestData;
import dev.skiff.protocol.message.DeleteGroupsResponseData;

/**
 * DeleteGroups (key 42), versions 0-3: deletes groups without members together with their committed
 * offsets (NON_EMPTY_GROUP otherwise, GROUP_ID_NOT_FOUND for an unknown group); answered once durable.
 */
public final class DeleteGroupsHandler extends VersionedHandler {
    private final GroupCoordinator coordinator;

    public DeleteGroupsHandler(GroupCoordinator coordinator) {
        super(ApiKeys.DELETE_GROUPS, 0, 3);
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext request) {
        final DeleteGroupsRequestData body = (DeleteGroupsRequestData) request.body();
        coordinator.deleteGroups(body.groupsNames()).whenComplete((response, failure) -> {
            if (failure == null) {
                request.respond(response);
                return;
            }
            final DeleteGroupsResponseData error = new DeleteGroupsResponseData();
            for (String id : body.groupsNames()) {
                error.results().add(new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(id)
                        .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
            }
            request.respond(error);
        });
    }
}

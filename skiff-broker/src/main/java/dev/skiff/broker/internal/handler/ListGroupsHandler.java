package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.group.GroupCoordinator;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.ListGroupsRequestData;
import dev.skiff.protocol.message.ListGroupsResponseData;

/**
 * ListGroups (key 16), versions 0-5: every group this node coordinates (all of them), filtered by
 * state (v4+, Kafka's state names, case-insensitive) and type (v5+; every group here is "classic").
 */
public final class ListGroupsHandler extends VersionedHandler {
    private final GroupCoordinator coordinator;

    public ListGroupsHandler(GroupCoordinator coordinator) {
        super(ApiKeys.LIST_GROUPS, 0, 5);
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext request) {
        final ListGroupsRequestData body = (ListGroupsRequestData) request.body();
        coordinator.listGroups(body, request.version()).whenComplete((response, failure) ->
                request.respond(failure == null ? response
                        : new ListGroupsResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())));
    }
}

package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.group.GroupCoordinator;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.LeaveGroupRequestData;
import dev.skiff.protocol.message.LeaveGroupResponseData;

/**
 * LeaveGroup (key 13), versions 0-5; v3+ removes a batch of members, each by member id or, for static
 * members, by group.instance.id alone (KIP-345), with an error per member. Before v3 the one member's
 * error is the top-level error.
 */
public final class LeaveGroupHandler extends VersionedHandler {
    private final GroupCoordinator coordinator;

    public LeaveGroupHandler(GroupCoordinator coordinator) {
        super(ApiKeys.LEAVE_GROUP, 0, 5);
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext request) {
        coordinator.leaveGroup((LeaveGroupRequestData) request.body(), request.version())
                .whenComplete((response, failure) -> request.respond(failure == null ? response
                        : new LeaveGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())));
    }
}

package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.group.GroupCoordinator;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.SyncGroupRequestData;
import dev.skiff.protocol.message.SyncGroupResponseData;

/**
 * SyncGroup (key 14), versions 0-5.
 *
 * <p>The leader's request carries every member's assignment; followers' answers are parked until it
 * arrives (or the rebalance timeout drops the members that never synced). v5 checks the protocol type
 * and name against the group's (INCONSISTENT_GROUP_PROTOCOL) and echoes them.
 */
public final class SyncGroupHandler extends VersionedHandler {
    private final GroupCoordinator coordinator;

    public SyncGroupHandler(GroupCoordinator coordinator) {
        super(ApiKeys.SYNC_GROUP, 0, 5);
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext request) {
        coordinator.syncGroup((SyncGroupRequestData) request.body(), request.version())
                .whenComplete((response, failure) -> request.respond(failure == null ? response
                        : new SyncGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                                .setAssignment(new byte[0])));
    }
}

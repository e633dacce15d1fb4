package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.group.GroupCoordinator;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.HeartbeatRequestData;
import dev.skiff.protocol.message.HeartbeatResponseData;

/**
 * Heartbeat (key 12), versions 0-4.
 *
 * <p>Keeps a member's session alive. REBALANCE_IN_PROGRESS tells it to rejoin; while the group waits for
 * SyncGroup the answer is NONE (the member is about to sync). Unknown members, stale generations and
 * fenced static members get UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION and FENCED_INSTANCE_ID.
 */
public final class HeartbeatHandler extends VersionedHandler {
    private final GroupCoordinator coordinator;

    public HeartbeatHandler(GroupCoordinator coordinator) {
        super(ApiKeys.HEARTBEAT, 0, 4);
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext request) {
        coordinator.heartbeat((HeartbeatRequestData) request.body(), request.version())
                .whenComplete((error, failure) -> request.respond(new HeartbeatResponseData()
                        .setErrorCode((failure == null ? error : Errors.COORDINATOR_NOT_AVAILABLE).code())));
    }
}

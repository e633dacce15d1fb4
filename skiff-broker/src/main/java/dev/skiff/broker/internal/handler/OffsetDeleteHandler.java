package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.group.GroupCoordinator;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.OffsetDeleteRequestData;
import dev.skiff.protocol.message.OffsetDeleteResponseData;

/**
 * OffsetDelete (key 47), version 0: deletes committed offsets of partitions. Refused per partition with
 * GROUP_SUBSCRIBED_TO_TOPIC while a live consumer group subscribes to the topic, and for the whole request
 * with NON_EMPTY_GROUP for a live group of another protocol type; GROUP_ID_NOT_FOUND for an unknown group.
 */
public final class OffsetDeleteHandler extends VersionedHandler {
    private final GroupCoordinator coordinator;

    public OffsetDeleteHandler(GroupCoordinator coordinator) {
        super(ApiKeys.OFFSET_DELETE, 0, 0);
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext request) {
        final OffsetDeleteRequestData body = (OffsetDeleteRequestData) request.body();
        coordinator.deleteOffsets(body).whenComplete((response, failure) -> request.respond(failure == null
                ? response : new OffsetDeleteResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())));
    }
}

package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.group.GroupCoordinator;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.JoinGroupRequestData;
import dev.skiff.protocol.message.JoinGroupResponseData;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * JoinGroup (key 11), versions 0-9.
 *
 * <p>The answer is parked in the {@link GroupCoordinator} until the join phase ends. v4+ first-time
 * joiners get MEMBER_ID_REQUIRED with their id (KIP-394); v5+ static members (group.instance.id,
 * KIP-345) rejoin a Stable group without a rebalance; v9 tells a static leader rejoining that way to skip
 * the assignment (KIP-814). v0 has no rebalance timeout, so the session timeout serves as one.
 */
public final class JoinGroupHandler extends VersionedHandler {
    private final GroupCoordinator coordinator;

    public JoinGroupHandler(GroupCoordinator coordinator) {
        super(ApiKeys.JOIN_GROUP, 0, 9);
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext request) {
        final JoinGroupRequestData body = (JoinGroupRequestData) request.body();
        final short version = request.version();
        coordinator.joinGroup(body, version, request.clientId(), clientHost(request.remoteAddress()))
                .whenComplete((response, failure) -> request.respond(failure == null ? response
                        : new JoinGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                                .setGenerationId(-1).setProtocolName(version >= 7 ? null : "").setLeader("")
                                .setMemberId(body.memberId())));
    }

    /** Kafka shows a member's host as {@code /address}. */
    static String clientHost(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return "/" + inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}

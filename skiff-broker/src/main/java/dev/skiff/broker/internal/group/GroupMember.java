package dev.skiff.broker.internal.group;

import dev.skiff.protocol.message.JoinGroupResponseData;
import dev.skiff.protocol.message.SyncGroupResponseData;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One member of a classic group, owned by the coordinator thread.
 *
 * <p>A member waiting in JoinGroup or SyncGroup holds the callback that answers that request; the
 * coordinator guarantees each callback is invoked exactly once (with a result, or with an error when
 * the member leaves, expires or the group is deleted), so no request is ever left unanswered.
 */
final class GroupMember {
    /** One (name, metadata) entry of the member's JoinGroup protocols, in preference order. */
    record Protocol(String name, byte[] metadata) {
    }

    final String memberId;
    final String instanceId;
    final String clientId;
    final String clientHost;
    int rebalanceTimeoutMs;
    int sessionTimeoutMs;
    List<Protocol> protocols;
    byte[] assignment = new byte[0];
    /** Pending JoinGroup answer and the version it was asked with; null when not waiting. */
    Consumer<JoinGroupResponseData> awaitingJoin;
    short joinVersion;
    /** Pending SyncGroup answer; null when not waiting. */
    Consumer<SyncGroupResponseData> awaitingSync;
    /** Session expiry: last heartbeat (or join/sync/commit) plus the session timeout. */
    long heartbeatDeadlineMs;
    /** A member that joined during this rebalance is dropped if it never completes it (Kafka's 5 min). */
    boolean isNew;

    GroupMember(String memberId, String instanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
                int sessionTimeoutMs, List<Protocol> protocols) {
        this.memberId = memberId;
        this.instanceId = instanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocols = protocols;
    }

    boolean isStatic() {
        return instanceId != null;
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    /** This member's metadata for {@code protocol}, or null if it does not support it. */
    byte[] metadata(String protocol) {
        for (Protocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        return null;
    }

    boolean supports(String protocol) {
        return metadata(protocol) != null;
    }

    /** True when {@code other} lists the same protocols with the same metadata, in the same order. */
    boolean sameProtocols(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!other.get(i).name().equals(protocols.get(i).name())
                    || !Arrays.equals(other.get(i).metadata(), protocols.get(i).metadata())) {
                return false;
            }
        }
        return true;
    }
}

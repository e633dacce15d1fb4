package dev.skiff.broker.internal.group;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.JoinGroupResponseData;
import dev.skiff.protocol.message.SyncGroupResponseData;

/** JoinGroup and SyncGroup answers, shaped for the version each request was asked with. */
final class GroupResponses {
    private static final byte[] EMPTY = new byte[0];

    private GroupResponses() {
    }

    /** A successful JoinGroup answer for {@code member} in the group's current generation. */
    static JoinGroupResponseData joinResult(Group group, GroupMember member, short version, boolean skipAssignment) {
        final int generation = group.generation;
        final JoinGroupResponseData r = new JoinGroupResponseData()
                .setErrorCode(Errors.NONE.code())
                .setGenerationId(generation)
                .setProtocolName(group.protocolName)
                .setLeader(group.leaderId)
                .setMemberId(member.memberId);
        if (version >= 7) {
            r.setProtocolType(group.protocolType);
        }
        if (version >= 9) {
            r.setSkipAssignment(skipAssignment);
        }
        // The leader computes the assignment, so it alone gets the members' metadata (and, with KIP-814's
        // skipAssignment, a static leader rejoining a Stable group learns the members without assigning).
        if (group.isLeader(member.memberId) && (skipAssignment || !group.is(GroupState.STABLE))) {
            for (GroupMember m : group.members.values()) {
                final byte[] metadata = m.metadata(group.protocolName);
                r.members().add(new JoinGroupResponseData.JoinGroupResponseMember()
                        .setMemberId(m.memberId)
                        .setGroupInstanceId(version >= 5 ? m.instanceId : null)
                        .setMetadata(metadata == null ? EMPTY : metadata));
            }
        }
        return r;
    }

    static JoinGroupResponseData joinError(String memberId, Errors error, short version) {
        return new JoinGroupResponseData()
                .setErrorCode(error.code())
                .setGenerationId(-1)
                .setProtocolName(version >= 7 ? null : "")
                .setLeader("")
                .setMemberId(memberId == null ? "" : memberId);
    }

    static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(EMPTY);
    }
}

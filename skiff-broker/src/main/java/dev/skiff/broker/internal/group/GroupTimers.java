package dev.skiff.broker.internal.group;

import java.util.Map;
import java.util.function.Consumer;

/**
 * When each group is next checked for passed deadlines (sessions, KIP-394 member ids, the join and sync
 * phases). Runs only on the coordinator thread.
 *
 * <p>Design note: one pending timer per group at most. A deadline that moves later (every heartbeat) needs
 * no new timer, because the check that runs at the earlier time finds nothing due and schedules the next
 * deadline; only a deadline earlier than the pending timer schedules another. A check is idempotent, so a
 * stale or duplicate timer is harmless, and a group is always re-armed after a check, so none is left
 * without a timer while it has a deadline.
 */
final class GroupTimers {
    private final Map<String, Group> groups;
    private final CoordinatorScheduler scheduler;
    private final Consumer<Group> check;

    GroupTimers(Map<String, Group> groups, CoordinatorScheduler scheduler, Consumer<Group> check) {
        this.groups = groups;
        this.scheduler = scheduler;
        this.check = check;
    }

    /** Makes sure the group is checked at {@code atMs} or earlier. */
    void scheduleCheck(Group group, long atMs) {
        if (atMs < 0 || (group.checkScheduledAtMs >= 0 && group.checkScheduledAtMs <= atMs)) {
            return;
        }
        group.checkScheduledAtMs = atMs;
        final String groupId = group.groupId;
        scheduler.schedule(() -> runCheck(groupId, atMs), Math.max(0, atMs - scheduler.nowMs()));
    }

    private void runCheck(String groupId, long atMs) {
        final Group group = groups.get(groupId);
        if (group == null) {
            return;
        }
        if (group.checkScheduledAtMs == atMs) {
            group.checkScheduledAtMs = -1;
        }
        check.accept(group);
        scheduleNext(group);
    }

    /** Arms the timer for the group's earliest deadline, if it has one. */
    void scheduleNext(Group group) {
        final long next = nextDeadline(group);
        if (next >= 0) {
            scheduleCheck(group, next);
        }
    }

    /** A member parked in JoinGroup (unless new) or SyncGroup is kept alive; others live by their session. */
    static boolean isExpired(GroupMember m, long now) {
        if (m.isAwaitingJoin()) {
            return m.isNew && now >= m.heartbeatDeadlineMs;
        }
        if (m.isAwaitingSync()) {
            return false;
        }
        return now >= m.heartbeatDeadlineMs;
    }

    private static long nextDeadline(Group group) {
        long next = Long.MAX_VALUE;
        for (long d : group.pendingMembers.values()) {
            next = Math.min(next, d);
        }
        for (GroupMember m : group.members.values()) {
            if (!m.isAwaitingSync() && (!m.isAwaitingJoin() || m.isNew)) {
                next = Math.min(next, m.heartbeatDeadlineMs);
            }
        }
        if (group.is(GroupState.PREPARING_REBALANCE) && group.joinDeadlineMs >= 0) {
            next = Math.min(next, group.joinDeadlineMs);
        }
        if (group.is(GroupState.COMPLETING_REBALANCE) && group.syncDeadlineMs >= 0) {
            next = Math.min(next, group.syncDeadlineMs);
        }
        return next == Long.MAX_VALUE ? -1 : next;
    }
}

package dev.skiff.client.consumer.internal;

import dev.skiff.client.consumer.ConsumerConfig;
import dev.skiff.client.internal.Node;
import dev.skiff.client.internal.SyncClient;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.HeartbeatRequestData;
import dev.skiff.protocol.message.HeartbeatResponseData;
import dev.skiff.protocol.message.LeaveGroupRequestData;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a member alive: a background thread that sends a Heartbeat every heartbeat.interval.ms while the
 * member holds a generation, so a slow application (within max.poll.interval.ms) keeps its partitions.
 *
 * <p>What it learns goes back to the polling thread through the {@link GroupCoordinator}: a rebalance
 * (REBALANCE_IN_PROGRESS) or a stale generation requests a rejoin, which the next poll performs; a
 * coordinator that moved is forgotten. When the application has not polled for max.poll.interval.ms the
 * member leaves the group, as kafka-clients does, so its partitions go to members that make progress.
 *
 * <p>It has its own connection (a SyncClient is single-threaded), and it never throws: every failure is
 * logged and retried at the next beat.
 */
public final class Heartbeater implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeater.class);

    private final ConsumerConfig config;
    private final GroupCoordinator group;
    private final SyncClient client;
    private final Object lock = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastPollNanos = System.nanoTime();

    public Heartbeater(ConsumerConfig config, GroupCoordinator group) {
        this.config = config;
        this.group = group;
        this.client = new SyncClient(config.bootstrapServers(), config.clientId(),
                config.requestTimeoutMs(), config.reconnectBackoffMs(), config.reconnectBackoffMaxMs(),
                config.metadataMaxAgeMs());
        this.thread = new Thread(this, "skiff-heartbeat-" + config.clientId());
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The application polled: resets the max.poll.interval.ms clock. */
    public void polled() {
        lastPollNanos = System.nanoTime();
    }

    @Override
    public void run() {
        while (running) {
            try {
                beat();
            } catch (RuntimeException e) {
                LOG.debug("Group {}: heartbeat failed ({}); retrying", group.groupId(), e.getMessage());
            }
            synchronized (lock) {
                if (running) {
                    try {
                        lock.wait(config.heartbeatIntervalMs());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private void beat() {
        final GroupCoordinator.Generation gen = group.generation();
        final Node node = group.coordinator();
        if (!gen.joined() || node == null) {
            return;
        }
        final long sincePoll = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastPollNanos);
        if (sincePoll > config.maxPollIntervalMs()) {
            LOG.warn("Group {}: no poll for {} ms, more than max.poll.interval.ms={}; leaving the group so its "
                            + "partitions move to live members", group.groupId(), sincePoll,
                    config.maxPollIntervalMs());
            try {
                leave(node, gen);
            } finally {
                group.resetGeneration(gen, true, "max.poll.interval.ms exceeded");
            }
            return;
        }
        if (group.rejoinNeeded()) {
            return; // the next poll rejoins; beating for the old generation would only repeat the news
        }
        final long deadline = SyncClient.deadline(config.requestTimeoutMs());
        client.readyNode(node, deadline);
        final short version = client.version(node, ApiKeys.HEARTBEAT, (short) 0);
        final HeartbeatRequestData request = new HeartbeatRequestData().setGroupId(group.groupId())
                .setGenerationId(gen.id()).setMemberId(gen.memberId());
        if (version >= 3) {
            request.setGroupInstanceId(group.instanceId());
        }
        final HeartbeatResponseData response = (HeartbeatResponseData) client.send(node, request, version, deadline);
        final Errors error = Errors.forCode(response.errorCode());
        switch (error) {
            case NONE:
                break;
            case REBALANCE_IN_PROGRESS:
                group.rejoinIfCurrent(gen, "the group is rebalancing");
                break;
            case ILLEGAL_GENERATION:
                group.resetGeneration(gen, false, "generation " + gen.id() + " is stale");
                break;
            case UNKNOWN_MEMBER_ID:
            case FENCED_INSTANCE_ID:
                group.resetGeneration(gen, true, "heartbeat refused with " + error);
                break;
            case NOT_COORDINATOR:
            case COORDINATOR_NOT_AVAILABLE:
                group.coordinatorUnknown(node);
                break;
            default:
                LOG.warn("Group {}: heartbeat failed with {}: {}", group.groupId(), error, error.message());
        }
    }

    /** Tells the coordinator this member is gone, so the rebalance need not wait for its session to expire. */
    private void leave(Node node, GroupCoordinator.Generation gen) {
        if (group.instanceId() != null) {
            return; // a static member keeps its place; the session timeout decides
        }
        final long deadline = SyncClient.deadline(config.requestTimeoutMs());
        client.readyNode(node, deadline);
        final short version = client.version(node, ApiKeys.LEAVE_GROUP, (short) 0);
        final LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(group.groupId());
        if (version >= 3) {
            request.setMembers(new ArrayList<>(List.of(new LeaveGroupRequestData.MemberIdentity()
                    .setMemberId(gen.memberId()))));
        } else {
            request.setMemberId(gen.memberId());
        }
        client.send(node, request, version, deadline);
    }

    /** Stops the thread and closes its connection. */
    @Override
    public void close() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        client.wakeup();
        try {
            thread.join(config.requestTimeoutMs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
    }
}

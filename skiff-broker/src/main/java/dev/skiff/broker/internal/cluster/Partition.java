package dev.skiff.broker.internal.cluster;

import dev.skiff.storage.AppendResult;
import dev.skiff.storage.PartitionLog;
import dev.skiff.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One partition this broker leads: its log, the lock that makes appends single-writer, and the
 * fetches waiting for new data.
 *
 * <p>Appends from different connections arrive on different event loops; the lock serialises them
 * so the log sees exactly one writer at a time. The critical section is a write to the page cache,
 * never an fsync (that happens on the log's flusher thread).
 */
public final class Partition {
    private final TopicPartition topicPartition;
    private final PartitionLog log;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Set<Runnable> dataListeners = ConcurrentHashMap.newKeySet();

    public Partition(TopicPartition topicPartition, PartitionLog log) {
        this.topicPartition = topicPartition;
        this.log = log;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public int index() {
        return topicPartition.partition();
    }

    public PartitionLog log() {
        return log;
    }

    /** Appends validated batches as the single writer, then wakes fetches waiting on this partition. */
    public AppendResult append(ByteBuffer batches, long nowMs) {
        final AppendResult result;
        appendLock.lock();
        try {
            result = log.append(batches, nowMs);
        } finally {
            appendLock.unlock();
        }
        if (result.status() == AppendResult.Status.APPENDED) {
            for (Runnable listener : dataListeners) {
                listener.run();
            }
        }
        return result;
    }

    /** Registers a callback run (on the appending thread) after every append; keep it cheap. */
    public void addDataListener(Runnable listener) {
        dataListeners.add(listener);
    }

    public void removeDataListener(Runnable listener) {
        dataListeners.remove(listener);
    }
}

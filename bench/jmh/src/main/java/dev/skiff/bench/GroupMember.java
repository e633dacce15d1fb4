package dev.skiff.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One group member for {@link RebalanceTimer}: a kafka-clients KafkaConsumer polling in its own thread and
 * reporting its rebalance callbacks to an {@link AssignmentBoard}.
 *
 * <p>The consumer is built before the member is released, so creating a KafkaConsumer (tens of ms of class
 * loading and metadata set-up) is not part of any measurement: the thread builds it, says it is ready, and
 * subscribes only when its gate opens. {@link #leave} wakes the poll and the thread closes the consumer,
 * which sends the leave to the coordinator; the moment close() starts is kept as the leave's start.
 */
final class GroupMember implements ConsumerRebalanceListener {
    private final String name;
    private final Map<String, Object> settings;
    private final String topic;
    private final long pollMs;
    private final AssignmentBoard board;
    private final CountDownLatch gate;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean leaving;
    private volatile long closeStartNanos;

    GroupMember(String name, Map<String, Object> settings, String topic, long pollMs, AssignmentBoard board,
                CountDownLatch gate) {
        this.name = name;
        this.settings = settings;
        this.topic = topic;
        this.pollMs = pollMs;
        this.board = board;
        this.gate = gate;
        this.thread = new Thread(this::run, "member-" + name);
        this.thread.setDaemon(true);
    }

    String name() {
        return name;
    }

    void start() {
        thread.start();
    }

    void awaitReady(long timeoutMs) throws InterruptedException, TimeoutException {
        if (!ready.await(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("member " + name + " did not build its consumer within " + timeoutMs + " ms");
        }
    }

    /** Asks the member to close its consumer; returns at once (see {@link #awaitClosed}). */
    void leave() {
        leaving = true;
        final KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Waits for the thread to end; afterwards {@link #closeStartNanos} is safe to read. */
    void awaitClosed(long timeoutMs) throws InterruptedException, TimeoutException {
        thread.join(timeoutMs);
        if (thread.isAlive()) {
            throw new TimeoutException("member " + name + " did not close within " + timeoutMs + " ms");
        }
    }

    long closeStartNanos() {
        return closeStartNanos;
    }

    private void run() {
        try {
            consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            board.fail(e);
            ready.countDown();
            return;
        }
        ready.countDown();
        try {
            gate.await();
            consumer.subscribe(List.of(topic), this);
            while (!leaving) {
                try {
                    consumer.poll(Duration.ofMillis(pollMs));
                } catch (WakeupException e) {
                    // leave() woke the poll; the loop condition ends it.
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            board.fail(e);
        } finally {
            closeStartNanos = System.nanoTime();
            try {
                consumer.close();
            } catch (RuntimeException e) {
                // A failed close is reported but does not hide the failure that may have caused it.
                board.fail(e);
            }
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        board.assigned(name, partitions, System.nanoTime());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        board.revoked(name, partitions, System.nanoTime());
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        board.revoked(name, partitions, System.nanoTime());
    }
}

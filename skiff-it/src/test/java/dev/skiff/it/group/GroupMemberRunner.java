package dev.skiff.it.group;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * One group member on its own thread (a KafkaConsumer is single-threaded): subscribes, polls, records
 * every delivery in a shared map, and commits synchronously after each batch and before giving up
 * partitions, so a correct coordinator never hands a record to a second member.
 */
final class GroupMemberRunner implements AutoCloseable {
    final String name;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, List<String>> deliveries;
    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile int generation = -1;
    final List<TopicPartition> revoked = new CopyOnWriteArrayList<>();
    final AtomicInteger rebalances = new AtomicInteger();

    GroupMemberRunner(String name, KafkaConsumer<String, String> consumer, String topic,
                      Map<String, List<String>> deliveries) {
        this.name = name;
        this.consumer = consumer;
        this.deliveries = deliveries;
        this.thread = new Thread(() -> run(topic), "member-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A shared map of value to the members that received it. */
    static Map<String, List<String>> newDeliveries() {
        return new ConcurrentHashMap<>();
    }

    private void run(String topic) {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    revoked.addAll(partitions);
                    if (!partitions.isEmpty()) {
                        consumer.commitSync(Duration.ofSeconds(15));
                    }
                    final Set<TopicPartition> left = new HashSet<>(assignment);
                    left.removeAll(partitions);
                    assignment = Set.copyOf(left);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    rebalances.incrementAndGet();
                    assignment = Set.copyOf(consumer.assignment());
                    generation = consumer.groupMetadata().generationId();
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    revoked.addAll(partitions);
                    assignment = Set.of();
                }
            });
            while (!stop) {
                boolean any = false;
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    deliveries.computeIfAbsent(r.value(), v -> new CopyOnWriteArrayList<>()).add(name);
                    any = true;
                }
                if (any) {
                    consumer.commitSync(Duration.ofSeconds(15));
                }
                generation = consumer.groupMetadata().generationId();
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        }
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    int generation() {
        return generation;
    }

    /** Stops polling, then closes the consumer (a dynamic member leaves the group) and waits for the thread. */
    @Override
    public void close() {
        stop = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("member " + name + " did not stop");
        }
        if (failure != null) {
            throw new AssertionError("member " + name + " failed", failure);
        }
    }

    /** Values delivered to more than one member. */
    static List<String> duplicates(Map<String, List<String>> deliveries) {
        final List<String> dup = new ArrayList<>();
        deliveries.forEach((v, members) -> {
            if (members.size() > 1) {
                dup.add(v + "->" + members);
            }
        });
        return dup;
    }
}

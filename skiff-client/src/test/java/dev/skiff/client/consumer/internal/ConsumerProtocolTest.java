package dev.skiff.client.consumer.internal;

import dev.skiff.client.TopicPartition;
import dev.skiff.protocol.DecodeException;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Our subscription and assignment bytes read back by kafka-clients, and theirs (newest version) by us. */
class ConsumerProtocolTest {
    private static final org.apache.kafka.common.TopicPartition KAFKA_TP =
            new org.apache.kafka.common.TopicPartition("b", 3);

    @Test
    void kafkaClientsReadOurSubscriptionAndAssignment() {
        final Subscription sub = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.deserializeSubscription(
                ByteBuffer.wrap(ConsumerProtocol.subscription(List.of("a", "b"))));
        assertThat(sub.topics()).containsExactly("a", "b");

        final Assignment assignment = org.apache.kafka.clients.consumer.internals.ConsumerProtocol
                .deserializeAssignment(ByteBuffer.wrap(ConsumerProtocol.assignment(Map.of("b", List.of(3, 4)))));
        assertThat(assignment.partitions()).containsExactlyInAnyOrder(KAFKA_TP,
                new org.apache.kafka.common.TopicPartition("b", 4));
    }

    @Test
    void weReadKafkaClientsNewestSubscriptionAndAssignment() {
        final ByteBuffer sub = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeSubscription(
                new Subscription(List.of("x", "y"), null, List.of(KAFKA_TP), 7, java.util.Optional.of("rack-1")));
        assertThat(ConsumerProtocol.subscriptionTopics(bytes(sub))).containsExactly("x", "y");

        final ByteBuffer assignment = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeAssignment(
                new Assignment(List.of(KAFKA_TP)));
        assertThat(ConsumerProtocol.assignedPartitions(bytes(assignment))).containsExactly(new TopicPartition("b", 3));
    }

    @Test
    void malformedBytesAreADecodeExceptionAndEmptyAssignmentIsNothing() {
        assertThat(ConsumerProtocol.assignedPartitions(new byte[0])).isEmpty();
        assertThatThrownBy(() -> ConsumerProtocol.subscriptionTopics(new byte[] {0})).isInstanceOf(
                DecodeException.class);
        assertThatThrownBy(() -> ConsumerProtocol.subscriptionTopics(new byte[] {0, 0, 0, 0, 0, 9, 0}))
                .isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> ConsumerProtocol.assignedPartitions(new byte[] {-1, -1, 0, 0}))
                .isInstanceOf(DecodeException.class);
    }

    @Test
    void kafkaClientsReadOurOwnedPartitionsAndGeneration() {
        final byte[] ours = ConsumerProtocol.subscription(List.of("a", "b"),
                List.of(new TopicPartition("b", 3), new TopicPartition("a", 1), new TopicPartition("b", 0)), 9, true);
        final Subscription sub = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.deserializeSubscription(
                ByteBuffer.wrap(ours));
        assertThat(sub.topics()).containsExactly("a", "b");
        assertThat(sub.ownedPartitions()).containsExactlyInAnyOrder(KAFKA_TP,
                new org.apache.kafka.common.TopicPartition("a", 1), new org.apache.kafka.common.TopicPartition("b", 0));
        assertThat(sub.generationId()).contains(9);
        assertThat(sub.userData().getInt()).isEqualTo(9);
        assertThat(ByteBuffer.wrap(ours).getShort()).isEqualTo((short) 3);
    }

    @Test
    void weReadKafkaClientsOwnedPartitionsAndGenerationAlsoFromOldUserData() {
        final ByteBuffer sub = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeSubscription(
                new Subscription(List.of("b"), null, List.of(KAFKA_TP), 4, java.util.Optional.empty()));
        final ConsumerProtocol.Subscription read = ConsumerProtocol.readSubscription(bytes(sub));
        assertThat(read.ownedPartitions()).containsExactly(new TopicPartition("b", 3));
        assertThat(read.generationId()).isEqualTo(4);

        // Version 1 has no generation field: cooperative-sticky members put it in userData.
        final ByteBuffer v1 = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeSubscription(
                new Subscription(List.of("b"), ByteBuffer.allocate(4).putInt(0, 11), List.of(KAFKA_TP)), (short) 1);
        assertThat(ConsumerProtocol.readSubscription(bytes(v1)).generationId()).isEqualTo(11);
        assertThat(ConsumerProtocol.readSubscription(ConsumerProtocol.subscription(List.of("x"))).generationId())
                .isEqualTo(-1);
    }

    @Test
    void aNegativeOwnedPartitionIsADecodeException() {
        final ByteBuffer bad = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeSubscription(
                new Subscription(List.of("b"), null, List.of(new org.apache.kafka.common.TopicPartition("b", -2))));
        assertThatThrownBy(() -> ConsumerProtocol.readSubscription(bytes(bad))).isInstanceOf(DecodeException.class);
    }

    private static byte[] bytes(ByteBuffer b) {
        final byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}

package dev.skiff.it.group;

import static dev.skiff.it.group.GroupClients.CALL_TIMEOUT;
import static dev.skiff.it.group.GroupClients.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.broker.Broker;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The group scenario every group protocol must pass, whatever starts the members: three members share the 12
 * partitions of topic {@code shared}, one leaves, the two left take its partitions; no record is lost or
 * delivered to two members, and the committed offsets are the end offsets.
 */
final class ShareAndLeaveScenario {
    private ShareAndLeaveScenario() {
    }

    /**
     * @param newMember starts a member with a name in the group, reading {@code shared} into the deliveries
     *                  map; the caller closes members the scenario leaves running if it fails
     */
    static void run(Broker broker, String group, Duration wait,
                    BiFunction<String, Map<String, List<String>>, GroupMemberRunner> newMember) throws Exception {
        GroupClients.createTopic(broker, "shared", 12);
        GroupClients.produce(broker, "shared", 12, 0, 1200);
        final Map<String, List<String>> deliveries = GroupMemberRunner.newDeliveries();
        final GroupMemberRunner m1 = newMember.apply("m1", deliveries);
        final GroupMemberRunner m2 = newMember.apply("m2", deliveries);
        final GroupMemberRunner m3 = newMember.apply("m3", deliveries);
        await(wait, "three members with four partitions each", () -> m1.assignment().size() == 4
                && m2.assignment().size() == 4 && m3.assignment().size() == 4 && union(m1, m2, m3).size() == 12);
        await(wait, "all 1200 records consumed", () -> deliveries.size() == 1200);

        m3.close();
        GroupClients.produce(broker, "shared", 12, 1200, 1200);
        await(wait, "two members sharing twelve partitions", () -> m1.assignment().size() == 6
                && m2.assignment().size() == 6 && union(m1, m2).size() == 12);
        await(wait, "all 2400 records consumed", () -> deliveries.size() == 2400);
        m1.close();
        m2.close();

        assertThat(GroupMemberRunner.duplicates(deliveries)).isEmpty();
        try (Admin admin = GroupClients.admin(broker)) {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(committed).hasSize(12);
            assertThat(committed.values()).allSatisfy(o -> assertThat(o.offset()).isEqualTo(200));
        }
    }

    /** Every partition owned by one of {@code members}. */
    static Set<TopicPartition> union(GroupMemberRunner... members) {
        final Set<TopicPartition> all = new HashSet<>();
        for (GroupMemberRunner m : members) {
            all.addAll(m.assignment());
        }
        return all;
    }
}

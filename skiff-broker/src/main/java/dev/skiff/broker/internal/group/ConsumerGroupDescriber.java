package dev.skiff.broker.internal.group;

import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ConsumerGroupDescribeResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * ConsumerGroupDescribe answers, as Kafka gives them: a group that does not exist or is not a consumer
 * group gets GROUP_ID_NOT_FOUND with Kafka's message; a member shows its current assignment (what it may
 * use now, without partitions pending revocation) and its target assignment, with topic names.
 */
final class ConsumerGroupDescriber {
    /** ConsumerGroupDescribe v1 MemberType of a member using the consumer protocol. */
    private static final byte CONSUMER_MEMBER = 1;

    private final TopicCatalog topics;
    private final String defaultAssignor;

    ConsumerGroupDescriber(TopicCatalog topics, String defaultAssignor) {
        this.topics = topics;
        this.defaultAssignor = defaultAssignor;
    }

    ConsumerGroupDescribeResponseData.DescribedGroup describe(String groupId, Group g, boolean includeOperations) {
        final ConsumerGroupDescribeResponseData.DescribedGroup d =
                new ConsumerGroupDescribeResponseData.DescribedGroup()
                .setGroupId(groupId)
                .setErrorCode(Errors.NONE.code())
                .setGroupState("")
                .setAssignorName("")
                .setMembers(new ArrayList<>())
                .setAuthorizedOperations(includeOperations ? GroupCoordinator.GROUP_OPERATIONS
                        : GroupCoordinator.OPERATIONS_OMITTED);
        if (g == null || g.is(GroupState.DEAD)) {
            return d.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage("Group " + groupId + " not found.");
        }
        if (g.consumer == null) {
            return d.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + groupId + " is not a consumer group.");
        }
        final ConsumerGroup group = g.consumer;
        d.setGroupState(group.state().kafkaName)
                .setGroupEpoch(group.groupEpoch)
                .setAssignmentEpoch(group.assignmentEpoch)
                .setAssignorName(group.assignorName != null ? group.assignorName
                        : group.preferredAssignor(defaultAssignor));
        for (ConsumerGroupMember m : group.members.values()) {
            d.members().add(new ConsumerGroupDescribeResponseData.Member()
                    .setMemberId(m.memberId)
                    .setInstanceId(m.instanceId)
                    .setRackId(m.rackId)
                    .setMemberEpoch(m.memberEpoch)
                    .setClientId(m.clientId == null ? "" : m.clientId)
                    .setClientHost(m.clientHost == null ? "" : m.clientHost)
                    .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames))
                    .setSubscribedTopicRegex(null)
                    .setAssignment(assignment(m.assigned))
                    .setTargetAssignment(assignment(group.targetOf(m.memberId)))
                    .setMemberType(CONSUMER_MEMBER));
        }
        return d;
    }

    private ConsumerGroupDescribeResponseData.Assignment assignment(Map<UUID, Set<Integer>> a) {
        final List<ConsumerGroupDescribeResponseData.TopicPartitions> list = new ArrayList<>();
        a.forEach((topic, partitions) -> {
            final String name = topics.topicName(topic);
            list.add(new ConsumerGroupDescribeResponseData.TopicPartitions().setTopicId(topic)
                    .setTopicName(name == null ? "" : name).setPartitions(new ArrayList<>(partitions)));
        });
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(list);
    }
}

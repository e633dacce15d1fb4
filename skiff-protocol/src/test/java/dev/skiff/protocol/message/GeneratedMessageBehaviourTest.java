package dev.skiff.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.protocol.ByteBufferAccessor;
import dev.skiff.protocol.MessageCodec;
import dev.skiff.protocol.RawTaggedField;
import dev.skiff.protocol.UnsupportedVersionException;
import dev.skiff.protocol.Uuids;
import dev.skiff.protocol.record.MemoryRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the generated classes promise beyond byte equality with Kafka. */
class GeneratedMessageBehaviourTest {

    @Test
    void newInstancesHoldTheSpecDefaults() {
        final FetchRequestData fetch = new FetchRequestData();
        assertThat(fetch.maxBytes()).isEqualTo(Integer.MAX_VALUE);
        assertThat(fetch.clusterId()).isNull();
        assertThat(fetch.replicaState()).isEqualTo(new FetchRequestData.ReplicaState());
        assertThat(fetch.rackId()).isEmpty();
        assertThat(new MetadataRequestData().allowAutoTopicCreation()).isTrue();
        final ProduceRequestData produce = new ProduceRequestData();
        assertThat(produce.transactionalId()).isNull();
        assertThat(produce.topicData()).isEmpty();
        assertThat(new ProduceRequestData.TopicProduceData().topicId()).isEqualTo(Uuids.ZERO);
        assertThat(new ProduceRequestData.PartitionProduceData().records()).isNull();
        assertThat(new ApiVersionsResponseData().finalizedFeaturesEpoch()).isEqualTo(-1L);
        assertThat(new SaslAuthenticateRequestData().authBytes()).isEmpty();
        assertThat(new ConsumerGroupHeartbeatResponseData().assignment()).isNull();
    }

    @Test
    void settersChainAndTheFieldsReadBack() {
        final UUID id = UUID.randomUUID();
        final ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
            .setName("events").setTopicId(id);
        assertThat(topic.name()).isEqualTo("events");
        assertThat(topic.topicId()).isEqualTo(id);
        assertThat(new CreateTopicsRequestData().setValidateOnly(true).validateOnly()).isTrue();
    }

    @Test
    void nonDefaultValueInAFieldTheVersionLacksIsRejectedUnlessIgnorable() {
        // AllowAutoTopicCreation exists from v4 and may not be dropped.
        final MetadataRequestData metadata = new MetadataRequestData().setAllowAutoTopicCreation(false);
        assertThatThrownBy(() -> MessageCodec.toByteBuffer(metadata, (short) 3))
            .isInstanceOf(UnsupportedVersionException.class).hasMessageContaining("allowAutoTopicCreation");
        assertThat(MessageCodec.toByteBuffer(metadata, (short) 4).remaining()).isPositive();

        // A topic name is ignorable from v13 on, where topics are named by ID.
        final ProduceRequestData produce = new ProduceRequestData().setTopicData(List.of(
            new ProduceRequestData.TopicProduceData().setName("dropped").setTopicId(UUID.randomUUID())));
        final ProduceRequestData decoded = MessageCodec.read(new ProduceRequestData(),
            MessageCodec.toByteBuffer(produce, (short) 13), (short) 13);
        assertThat(decoded.topicData().get(0).name()).isEmpty();
        assertThat(decoded.topicData().get(0).topicId()).isEqualTo(produce.topicData().get(0).topicId());
    }

    @Test
    void versionsOutsideTheRangeAreRejected() {
        assertThatThrownBy(() -> MessageCodec.toByteBuffer(new ProduceRequestData(), (short) 2))
            .isInstanceOf(UnsupportedVersionException.class);
        assertThatThrownBy(() -> new ProduceRequestData().read(new ByteBufferAccessor(ByteBuffer.allocate(64)),
            (short) 14)).isInstanceOf(UnsupportedVersionException.class);
    }

    @Test
    void taggedFieldsAreSentOnlyWhenNotDefault() {
        final ApiVersionsResponseData response = new ApiVersionsResponseData();
        final int plain = response.size((short) 3);
        response.setFinalizedFeaturesEpoch(7L);
        // tag 1, size 8, eight bytes of int64
        assertThat(response.size((short) 3)).isEqualTo(plain + 10);
        final ApiVersionsResponseData decoded = MessageCodec.read(new ApiVersionsResponseData(),
            MessageCodec.toByteBuffer(response, (short) 3), (short) 3);
        assertThat(decoded.finalizedFeaturesEpoch()).isEqualTo(7L);
        // Below v3 the field does not exist but is ignorable: dropped, not an error.
        assertThat(MessageCodec.read(new ApiVersionsResponseData(),
            MessageCodec.toByteBuffer(response, (short) 2), (short) 2).finalizedFeaturesEpoch()).isEqualTo(-1L);
    }

    @Test
    void unknownTaggedFieldsSurviveARoundTripInTagOrder() {
        // ApiVersionsRequest v3: two compact strings, then unknown tags 4 ("hi") and 9 (empty).
        final byte[] wire = {3, 'c', 'l', 2, '1', 2, 4, 2, 'h', 'i', 9, 0};
        final ApiVersionsRequestData request = MessageCodec.read(new ApiVersionsRequestData(), ByteBuffer.wrap(wire),
            (short) 3);
        assertThat(request.clientSoftwareName()).isEqualTo("cl");
        assertThat(request.unknownTaggedFields()).containsExactly(
            new RawTaggedField(4, "hi".getBytes(StandardCharsets.UTF_8)), new RawTaggedField(9, new byte[0]));
        assertThat(MessageCodec.toBytes(request, (short) 3)).isEqualTo(wire);
        assertThat(request.size((short) 3)).isEqualTo(wire.length);
    }

    @Test
    void unknownTaggedFieldsCannotBeWrittenInAVersionWithoutTaggedFields() {
        final MetadataRequestData request = new MetadataRequestData();
        request.unknownTaggedFields().add(new RawTaggedField(5, new byte[] {1}));
        assertThatThrownBy(() -> MessageCodec.toByteBuffer(request, (short) 8))
            .isInstanceOf(UnsupportedVersionException.class).hasMessageContaining("Tagged fields");
    }

    @Test
    void recordsAreASliceOfTheInputNotACopy() {
        final byte[] batch = new byte[70];
        batch[0] = 42;
        final ProduceRequestData request = new ProduceRequestData().setTopicData(List.of(
            new ProduceRequestData.TopicProduceData().setName("t").setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(3)
                    .setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(batch)))))));
        final ByteBuffer frame = MessageCodec.toByteBuffer(request, (short) 9);
        final ProduceRequestData decoded = MessageCodec.read(new ProduceRequestData(), frame, (short) 9);
        final MemoryRecords records = (MemoryRecords) decoded.topicData().get(0).partitionData().get(0).records();
        assertThat(records.sizeInBytes()).isEqualTo(70);
        final ByteBuffer view = records.buffer();
        assertThat(view.hasArray() && view.array() == frame.array()).as("shares the frame's memory").isTrue();
        assertThat(view.get(view.position())).isEqualTo((byte) 42);
        assertThat(decoded.toString()).contains("records=70 bytes").doesNotContain("42, 0, 0");
    }

    @Test
    void requestHeaderClientIdKeepsItsTwoByteLengthInFlexibleVersions() {
        final RequestHeaderData header = new RequestHeaderData().setRequestApiKey((short) 18)
            .setRequestApiVersion((short) 3).setCorrelationId(7).setClientId("kcat");
        final ByteBuffer bytes = MessageCodec.toByteBuffer(header, (short) 2);
        // apiKey(2) apiVersion(2) correlationId(4) clientId int16 length + 4 bytes, empty tagged section.
        assertThat(bytes.remaining()).isEqualTo(2 + 2 + 4 + 2 + 4 + 1);
        assertThat(bytes.getShort(8)).isEqualTo((short) 4);
        assertThat(MessageCodec.read(new RequestHeaderData(), bytes, (short) 2)).isEqualTo(header);
        final RequestHeaderData nullClient = new RequestHeaderData().setClientId(null);
        assertThat(MessageCodec.toByteBuffer(nullClient, (short) 2).getShort(8)).isEqualTo((short) -1);
    }

    @Test
    void nullInANonNullableFieldFailsToWriteNamingTheField() {
        final MetadataRequestData request = new MetadataRequestData().setTopics(null);
        assertThatThrownBy(() -> MessageCodec.toByteBuffer(request, (short) 0))
            .isInstanceOf(NullPointerException.class).hasMessageContaining("topics");
        assertThat(MessageCodec.toByteBuffer(request, (short) 1).getInt(0)).isEqualTo(-1);
    }

    @Test
    void nullableStructsCarryAPresenceMarker() {
        final ConsumerGroupHeartbeatResponseData absent = new ConsumerGroupHeartbeatResponseData();
        final ConsumerGroupHeartbeatResponseData present = new ConsumerGroupHeartbeatResponseData()
            .setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment());
        final ByteBuffer a = MessageCodec.toByteBuffer(absent, (short) 0);
        final ByteBuffer p = MessageCodec.toByteBuffer(present, (short) 0);
        assertThat(p.remaining()).isGreaterThan(a.remaining());
        assertThat(MessageCodec.read(new ConsumerGroupHeartbeatResponseData(), a, (short) 0).assignment()).isNull();
        assertThat(MessageCodec.read(new ConsumerGroupHeartbeatResponseData(), p, (short) 0).assignment())
            .isEqualTo(present.assignment());
    }

    @Test
    void unsignedSettersRejectValuesOutOfRange() {
        assertThatThrownBy(() -> new AddRaftVoterRequestData.Listener().setPort(70_000))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThat(new AddRaftVoterRequestData.Listener().setPort(65_535).port()).isEqualTo(65_535);
    }

    @Test
    void equalsAndHashCodeFollowContentAndToStringNamesFields() {
        final MetadataRequestData a = new MetadataRequestData().setTopics(List.of(
            new MetadataRequestData.MetadataRequestTopic().setName("x")));
        final MetadataRequestData b = new MetadataRequestData().setTopics(List.of(
            new MetadataRequestData.MetadataRequestTopic().setName("x")));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(b.setAllowAutoTopicCreation(false));
        assertThat(a.toString()).contains("topics=[MetadataRequestTopic(").contains("name='x'");
        assertThat(new SaslAuthenticateRequestData().setAuthBytes(new byte[] {1, 2}))
            .isEqualTo(new SaslAuthenticateRequestData().setAuthBytes(new byte[] {1, 2}));
    }
}

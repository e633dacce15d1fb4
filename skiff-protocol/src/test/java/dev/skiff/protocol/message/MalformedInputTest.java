package dev.skiff.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.generator.spec.MessageSpec;
import dev.skiff.protocol.ApiMessage;
import dev.skiff.protocol.ByteBufferAccessor;
import dev.skiff.protocol.DecodeException;
import dev.skiff.protocol.MessageCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decoders facing hostile or broken input: every truncation and every bad length must surface as a
 * {@link DecodeException}, never as another exception and never as a huge allocation.
 */
class MalformedInputTest {

    @ParameterizedTest
    @ValueSource(strings = {"ProduceRequest", "MetadataRequest", "ApiVersionsRequest", "RequestHeader",
        "ProduceResponse", "MetadataResponse", "ApiVersionsResponse", "FetchResponse"})
    void everyPrefixOfEveryVersionThrowsDecodeException(String name) throws Exception {
        final MessageSpec spec = SpecCatalog.named(name);
        final Class<?> type = Class.forName(SpecCatalog.skiffClassName(spec));
        int prefixes = 0;
        for (int v = spec.validVersions().lowest(); v <= spec.validVersions().highest(); v++) {
            final short version = (short) v;
            for (int seed = 0; seed < 8; seed++) {
                final RandomTree.StructValue tree = new RandomTree(spec, seed * 31L + v).message(version);
                final ApiMessage message =
                    (ApiMessage) new ReflectiveBuilder(ReflectiveBuilder.Flavor.SKIFF).build(type, tree);
                final byte[] bytes = MessageCodec.toBytes(message, version);
                for (int length = 0; length < bytes.length; length++) {
                    final ByteBuffer prefix = ByteBuffer.wrap(bytes, 0, length).slice();
                    final ApiMessage target = (ApiMessage) type.getConstructor().newInstance();
                    final int cut = length;
                    assertThatThrownBy(() -> target.read(new ByteBufferAccessor(prefix), version))
                        .as("%s v%s cut to %s of %s bytes", name, version, cut, bytes.length)
                        .isExactlyInstanceOf(DecodeException.class);
                    prefixes++;
                }
            }
        }
        assertThat(prefixes).isPositive();
    }

    @Test
    void negativeArrayCountIsRejected() {
        final ByteBuffer bytes = ByteBuffer.allocate(4).putInt(0, -2);
        assertThatThrownBy(() -> new MetadataRequestData().read(new ByteBufferAccessor(bytes), (short) 1))
            .isInstanceOf(DecodeException.class).hasMessageContaining("topics");
    }

    @Test
    void nullArrayIsRejectedWhereTheFieldIsNotNullable() {
        // Topics became nullable in v1; in v0 a -1 count is malformed.
        final ByteBuffer v0 = ByteBuffer.allocate(4).putInt(0, -1);
        assertThatThrownBy(() -> new MetadataRequestData().read(new ByteBufferAccessor(v0), (short) 0))
            .isInstanceOf(DecodeException.class).hasMessageContaining("non-nullable");
        final ByteBuffer v1 = ByteBuffer.allocate(4).putInt(0, -1);
        final MetadataRequestData read = MessageCodec.read(new MetadataRequestData(), v1, (short) 1);
        assertThat(read.topics()).isNull();
    }

    @Test
    void arrayCountBeyondTheInputIsRejectedBeforeAllocating() {
        final ByteBuffer bytes = ByteBuffer.allocate(8).putInt(0, Integer.MAX_VALUE);
        assertThatThrownBy(() -> new MetadataRequestData().read(new ByteBufferAccessor(bytes), (short) 1))
            .isInstanceOf(DecodeException.class).hasMessageContaining("claims");
    }

    @Test
    void hugeCompactLengthIsRejected() {
        // Flexible v12: topics as a compact array whose varint count is 2^32 - 1.
        final ByteBuffer bytes = ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F});
        assertThatThrownBy(() -> new MetadataRequestData().read(new ByteBufferAccessor(bytes), (short) 12))
            .isInstanceOf(DecodeException.class);
    }

    @Test
    void overlongVarintIsRejected() {
        final ByteBuffer bytes = ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, 0x01});
        assertThatThrownBy(() -> new MetadataRequestData().read(new ByteBufferAccessor(bytes), (short) 12))
            .isInstanceOf(DecodeException.class).hasMessageContaining("varint");
    }

    @Test
    void negativeStringLengthOtherThanNullIsRejected() {
        // ProduceRequest v3: transactionalId (nullable string) with length -2.
        final ByteBuffer bytes = ByteBuffer.allocate(16).putShort(0, (short) -2);
        assertThatThrownBy(() -> new ProduceRequestData().read(new ByteBufferAccessor(bytes), (short) 3))
            .isInstanceOf(DecodeException.class).hasMessageContaining("transactionalId");
    }

    @Test
    void stringLongerThanTheProtocolAllowsIsRejected() {
        // ApiVersionsRequest v3: clientSoftwareName as a compact string of 0x8000 bytes (varint 0x8001).
        final ByteBuffer bytes = ByteBuffer.allocate(0x8000 + 16);
        bytes.put((byte) 0x81).put((byte) 0x80).put((byte) 0x02).position(0);
        assertThatThrownBy(() -> new ApiVersionsRequestData().read(new ByteBufferAccessor(bytes), (short) 3))
            .isInstanceOf(DecodeException.class).hasMessageContaining("clientSoftwareName");
    }

    @Test
    void recordsLengthBeyondTheInputIsRejected() {
        final ByteBuffer bytes = produceV3WithRecordsLength(1000, 10);
        assertThatThrownBy(() -> new ProduceRequestData().read(new ByteBufferAccessor(bytes), (short) 3))
            .isInstanceOf(DecodeException.class).hasMessageContaining("truncated");
    }

    @Test
    void negativeRecordsLengthOtherThanNullIsRejected() {
        final ByteBuffer bytes = produceV3WithRecordsLength(-7, 0);
        assertThatThrownBy(() -> new ProduceRequestData().read(new ByteBufferAccessor(bytes), (short) 3))
            .isInstanceOf(DecodeException.class).hasMessageContaining("records");
    }

    @Test
    void taggedFieldSizeBeyondTheInputIsRejected() {
        // ApiVersionsRequest v3: two empty compact strings, then one tagged field claiming 100 bytes.
        final ByteBuffer bytes = ByteBuffer.wrap(new byte[] {1, 1, 1, 7, 100, 0});
        assertThatThrownBy(() -> new ApiVersionsRequestData().read(new ByteBufferAccessor(bytes), (short) 3))
            .isInstanceOf(DecodeException.class).hasMessageContaining("tagged field size");
    }

    @Test
    void knownTaggedFieldThatDisagreesWithItsSizeIsRejected() {
        // ApiVersionsResponse v3, tag 1 (FinalizedFeaturesEpoch, an int64) announced as 9 bytes.
        final ByteBuffer bytes = ByteBuffer.allocate(32);
        bytes.putShort((short) 0).put((byte) 1).putInt(0); // errorCode, empty apiKeys, throttleTimeMs
        bytes.put((byte) 1).put((byte) 1).put((byte) 9).putLong(5L).put((byte) 0);
        bytes.flip();
        assertThatThrownBy(() -> new ApiVersionsResponseData().read(new ByteBufferAccessor(bytes), (short) 3))
            .isInstanceOf(DecodeException.class).hasMessageContaining("tagged field 1");
    }

    private static ByteBuffer produceV3WithRecordsLength(int recordsLength, int recordsBytes) {
        final byte[] topic = "t".getBytes(StandardCharsets.UTF_8);
        final ByteBuffer b = ByteBuffer.allocate(64 + Math.max(0, recordsBytes));
        b.putShort((short) -1).putShort((short) 1).putInt(1000); // transactionalId null, acks, timeout
        b.putInt(1).putShort((short) topic.length).put(topic); // one topic
        b.putInt(1).putInt(0).putInt(recordsLength); // one partition, index 0, records length
        b.put(new byte[recordsBytes]);
        return b.flip();
    }

    @Test
    void validInputStillDecodesAfterTheChecks() {
        final ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
            .setTopicData(List.of(new ProduceRequestData.TopicProduceData().setName("events")));
        final ByteBuffer bytes = MessageCodec.toByteBuffer(request, (short) 7);
        assertThat(MessageCodec.read(new ProduceRequestData(), bytes, (short) 7)).isEqualTo(request);
    }
}

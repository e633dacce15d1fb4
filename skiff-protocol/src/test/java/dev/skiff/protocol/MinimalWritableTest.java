package dev.skiff.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.protocol.message.ApiVersionsResponseData;
import dev.skiff.protocol.message.FetchResponseData;
import dev.skiff.protocol.record.MemoryRecords;
import dev.skiff.protocol.record.Records;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@link Writable} that implements only the abstract methods, as the broker's own writer may, must
 * produce the same bytes as {@link ByteBufferAccessor}: the interface's defaults are part of the codec.
 */
class MinimalWritableTest {

    /** Writes to a stream; records are appended by a callback, standing in for file regions. */
    private static final class StreamWritable implements Writable {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public void writeByte(byte v) {
            out.write(v);
        }

        @Override
        public void writeShort(short v) {
            writeByteArray(ByteBuffer.allocate(2).putShort(v).array());
        }

        @Override
        public void writeInt(int v) {
            writeByteArray(ByteBuffer.allocate(4).putInt(v).array());
        }

        @Override
        public void writeLong(long v) {
            writeByteArray(ByteBuffer.allocate(8).putLong(v).array());
        }

        @Override
        public void writeByteArray(byte[] bytes) {
            out.write(bytes, 0, bytes.length);
        }

        @Override
        public void writeByteBuffer(ByteBuffer bytes) {
            final ByteBuffer copy = bytes.duplicate();
            while (copy.hasRemaining()) {
                out.write(copy.get());
            }
        }

        @Override
        public void writeRecords(Records records) {
            writeByteBuffer(((MemoryRecords) records).buffer());
        }
    }

    @Test
    void defaultMethodsEncodeLikeTheBufferAccessor() {
        final FetchResponseData fetch = new FetchResponseData().setThrottleTimeMs(-7).setResponses(List.of(
            new FetchResponseData.FetchableTopicResponse().setTopic("tópico").setPartitions(List.of(
                new FetchResponseData.PartitionData().setPartitionIndex(300).setHighWatermark(-1L << 33)
                    .setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(new byte[200])))
                    .setCurrentLeader(new FetchResponseData.LeaderIdAndEpoch().setLeaderId(1).setLeaderEpoch(9))))));
        fetch.unknownTaggedFields().add(new RawTaggedField(1000, new byte[] {1, 2, 3}));
        for (short version : new short[] {4, 11, 12, 16, 18}) {
            if (version < 12) {
                fetch.unknownTaggedFields().clear();
                fetch.responses().get(0).partitions().get(0).setCurrentLeader(new FetchResponseData.LeaderIdAndEpoch());
            }
            final StreamWritable minimal = new StreamWritable();
            fetch.write(minimal, version);
            assertThat(minimal.out.toByteArray()).as("v%s", version).isEqualTo(MessageCodec.toBytes(fetch, version));
        }
        final ApiVersionsResponseData versions = new ApiVersionsResponseData().setFinalizedFeaturesEpoch(5L);
        final StreamWritable minimal = new StreamWritable();
        versions.write(minimal, (short) 4);
        assertThat(minimal.out.toByteArray()).isEqualTo(MessageCodec.toBytes(versions, (short) 4));
    }
}

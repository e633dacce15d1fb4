package dev.skiff.bench;

import dev.skiff.client.serde.Headers;
import dev.skiff.client.serde.LongSerializer;
import dev.skiff.client.serde.StringSerializer;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Step 4 of the send path, serialize, per record: the key and value serializers run on the caller's
 * thread before anything else. The byte[] they return is the one allocation the Serializer contract
 * forces (Kafka's has the same contract); {@code -prof gc} shows nothing else should be allocated.
 * kafka-clients' StringSerializer runs alongside as a reference point.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerializeBenchmark {
    @Param({"100", "1024"})
    public int valueSize;

    private final StringSerializer strings = new StringSerializer();
    private final LongSerializer longs = new LongSerializer();
    private final org.apache.kafka.common.serialization.StringSerializer kafkaStrings =
            new org.apache.kafka.common.serialization.StringSerializer();
    private final Headers headers = new Headers();
    private String key;
    private String value;
    private Long longKey;

    @Setup
    public void setUp() {
        key = "customer-000042";
        value = "v".repeat(valueSize);
        longKey = 42_424_242L;
    }

    /** String key and value, the common case: two byte[] per record. */
    @Benchmark
    public byte[][] stringKeyAndValue() {
        return new byte[][] {strings.serialize("t", headers, key), strings.serialize("t", headers, value)};
    }

    @Benchmark
    public byte[] stringValue() {
        return strings.serialize("t", headers, value);
    }

    @Benchmark
    public byte[] longKey() {
        return longs.serialize("t", headers, longKey);
    }

    /** Reference: kafka-clients' StringSerializer on the same value. */
    @Benchmark
    public byte[] kafkaStringValue() {
        return kafkaStrings.serialize("t", value);
    }
}

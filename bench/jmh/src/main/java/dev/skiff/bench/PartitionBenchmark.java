package dev.skiff.bench;

import dev.skiff.client.producer.internal.Murmur2;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.utils.Utils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Step 5, partition, for keyed records: murmur2 of the serialized key modulo the partition count, which
 * must match Kafka's choice for every key (proved in PartitionerTest and ProducerOnKafkaIT) and must not
 * allocate. kafka-clients' Utils.murmur2 runs alongside as the reference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PartitionBenchmark {
    @Param({"16", "64"})
    public int keySize;

    private final byte[][] keys = new byte[64][];
    private int next;

    @Setup
    public void setUp() {
        for (int i = 0; i < keys.length; i++) {
            final String s = ("key-" + i + "-").repeat(keySize);
            keys[i] = s.substring(0, keySize).getBytes(StandardCharsets.UTF_8);
        }
    }

    private byte[] nextKey() {
        next = (next + 1) & (keys.length - 1);
        return keys[next];
    }

    @Benchmark
    public int murmur2Partition() {
        return Murmur2.partitionForKey(nextKey(), 12);
    }

    /** Reference: kafka-clients' BuiltInPartitioner arithmetic on the same keys. */
    @Benchmark
    public int kafkaMurmur2Partition() {
        return Utils.toPositive(Utils.murmur2(nextKey())) % 12;
    }
}

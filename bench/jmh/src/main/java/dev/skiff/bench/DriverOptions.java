package dev.skiff.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Command-line options shared by {@link SkiffProducerDriver} and {@link KafkaProducerDriver}, so both
 * producers run with exactly the same load and the same producer settings.
 *
 * <pre>
 * --bootstrap HOST:PORT   broker to produce to (required)
 * --topic NAME            topic; created with --partitions if absent (required)
 * --partitions N          partitions when creating the topic (default 6)
 * --records N             measured records (default 1000000)
 * --warmup-records N      records sent and flushed before measuring, same JVM (default 200000)
 * --record-size BYTES     value size; keys are null, like kafka-producer-perf-test (default 100)
 * --throughput R          records/s to pace at; -1 = as fast as possible (default -1)
 * --set key=value         a producer setting, given to both producers verbatim (repeatable)
 * </pre>
 */
final class DriverOptions {
    String bootstrap;
    String topic;
    int partitions = 6;
    long records = 1_000_000;
    long warmupRecords = 200_000;
    int recordSize = 100;
    long throughput = -1;
    final Map<String, String> settings = new LinkedHashMap<>();

    static DriverOptions parse(String[] args) {
        final DriverOptions o = new DriverOptions();
        // Kafka 4.x producer defaults, written out so both producers certainly get the same values.
        o.settings.put("acks", "all");
        o.settings.put("enable.idempotence", "true");
        o.settings.put("linger.ms", "5");
        o.settings.put("batch.size", "16384");
        o.settings.put("compression.type", "none");
        OptionArgs.forEach(args, (a, v) -> {
            switch (a) {
                case "--bootstrap" -> o.bootstrap = v;
                case "--topic" -> o.topic = v;
                case "--partitions" -> o.partitions = Integer.parseInt(v);
                case "--records" -> o.records = Long.parseLong(v);
                case "--warmup-records" -> o.warmupRecords = Long.parseLong(v);
                case "--record-size" -> o.recordSize = Integer.parseInt(v);
                case "--throughput" -> o.throughput = Long.parseLong(v);
                case "--set" -> OptionArgs.putSetting(o.settings, v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        });
        if (o.bootstrap == null || o.topic == null) {
            throw new IllegalArgumentException("--bootstrap and --topic are required");
        }
        return o;
    }
}

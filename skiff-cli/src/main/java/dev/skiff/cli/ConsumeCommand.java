package dev.skiff.cli;

import dev.skiff.cli.internal.BootstrapOption;
import dev.skiff.cli.internal.Failures;
import dev.skiff.cli.internal.Format;
import dev.skiff.cli.internal.LogConfigurator;
import dev.skiff.cli.internal.RecordFormatter;
import dev.skiff.cli.internal.StopSignal;
import dev.skiff.cli.internal.ValueDecoder;
import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.ConsumerConfig;
import dev.skiff.client.consumer.ConsumerException;
import dev.skiff.client.consumer.ConsumerRecord;
import dev.skiff.client.consumer.SimpleConsumer;
import dev.skiff.client.producer.ConfigException;
import dev.skiff.client.serde.ByteArrayDeserializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code skiff consume}: prints records of a topic, kcat style. Starts at the end (new records only)
 * unless told {@code --from-beginning}, {@code --offset} or {@code --timestamp}; {@code -e} stops at the
 * end of the partitions, {@code --max} after N records, Ctrl-C at any time with a count on stderr.
 */
@Command(name = "consume",
        mixinStandardHelpOptions = true,
        description = {"Print records of a topic (like kcat -C).",
                "Example: skiff consume -t greetings --from-beginning -e --format '%%k=%%v (partition %%p, offset %%o)'"})
public final class ConsumeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private BootstrapOption bootstrap;

    @Option(names = {"-t", "--topic"}, required = true, description = "Topic to read.")
    String topic;

    /** Where to start; at most one. */
    static final class Start {
        @Option(names = "--from-beginning", description = "Start at the first record of each partition.")
        boolean fromBeginning;

        @Option(names = {"-o", "--offset"}, paramLabel = "N",
                description = "Start at offset N in each partition; negative: N records before the end.")
        Long offset;

        @Option(names = "--timestamp", paramLabel = "T",
                description = "Start at the first record at or after T (ms since the epoch, or ISO-8601 like "
                        + "2025-01-31T12:00:00Z).")
        String timestamp;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Start start = new Start();

    @Option(names = {"-p", "--partition"}, paramLabel = "N", description = "Read only these partitions (repeatable).")
    List<Integer> partitions = new ArrayList<>();

    @Option(names = {"-m", "--max", "--max-messages"}, paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Option(names = "-e", description = "Exit when the end of every partition is reached.")
    boolean exitAtEnd;

    @Option(names = {"-f", "--format"}, defaultValue = "%v", paramLabel = "FORMAT",
            description = "kcat-like: %%t topic, %%p partition, %%o offset, %%T timestamp, %%k key, %%v value, "
                    + "%%h headers, %%K/%%S key/value size, \\n \\t (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--value-format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text, json or avro: how values are decoded (avro needs --schema).")
    Format valueFormat;

    @Option(names = "--schema", paramLabel = "FILE", description = "Avro schema (.avsc) for --value-format avro.")
    Path schema;

    @Option(names = {"-X", "--property", "--consumer-property"}, paramLabel = "KEY=VALUE",
            description = "Any consumer configuration by its Kafka name (repeatable).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = {"-g", "--group"}, paramLabel = "GROUP",
            description = "Read as a member of this consumer group, committing as it goes; starts at the committed "
                    + "offsets, else at the end (--from-beginning: at the start). Not with -p, -o, --timestamp, -e.")
    String group;

    private volatile SimpleConsumer<byte[], byte[]> running;
    private volatile GroupConsumeLoop groupLoop;

    @Override
    public Integer call() {
        LogConfigurator.quiet();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final RecordFormatter formatter;
        final ConsumerConfig config;
        final Long startTime;
        try {
            formatter = new RecordFormatter(format, ValueDecoder.of(valueFormat, schema));
            config = ConsumerConfig.builder().bootstrapServers(bootstrap.get()).setAll(properties).build();
            startTime = start.timestamp == null ? null : parseTime(start.timestamp); // bad input: exit 2 now
        } catch (IllegalArgumentException | IOException e) {
            err.println("skiff consume: " + Failures.message(e));
            return 2;
        }
        final String unreachable = bootstrap.unreachable(3000);
        if (unreachable != null) {
            err.println("skiff consume: " + unreachable);
            return 1;
        }
        if (group != null) {
            return consumeInGroup(config, formatter, out, err);
        }
        long count = 0;
        try (StopSignal stop = StopSignal.install(this::wakeup);
             SimpleConsumer<byte[], byte[]> consumer = SimpleConsumer.create(config, new ByteArrayDeserializer(),
                     new ByteArrayDeserializer())) {
            running = consumer;
            final List<TopicPartition> tps = assign(consumer, startTime);
            if (exitAtEnd) {
                consumer.endOffsets(tps); // so reachedEnd knows where the end is before the first fetch
            }
            while (!stop.stopped() && (max == null || count < max)) {
                if (exitAtEnd && tps.stream().allMatch(consumer::reachedEnd)) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.print(formatter.format(r));
                    if (++count == (max == null ? -1 : max)) {
                        break;
                    }
                }
                out.flush();
            }
            out.flush();
            err.println("Processed a total of " + count + " messages");
            return stop.stopped() ? 130 : 0;
        } catch (ConfigException e) {
            err.println("skiff consume: " + e.getMessage());
            return 2;
        } catch (ConsumerException | IllegalArgumentException e) {
            out.flush();
            err.println("skiff consume: " + Failures.message(e));
            return 1;
        } finally {
            running = null;
        }
    }

    private List<TopicPartition> assign(SimpleConsumer<byte[], byte[]> consumer, Long startTime) {
        final List<Integer> all = consumer.partitionsFor(topic);
        final List<TopicPartition> tps = new ArrayList<>();
        for (int p : partitions.isEmpty() ? all : partitions) {
            if (!all.contains(p)) {
                throw new IllegalArgumentException("topic " + topic + " has no partition " + p + " (it has "
                        + all.size() + ")");
            }
            tps.add(new TopicPartition(topic, p));
        }
        consumer.assign(tps);
        if (start.fromBeginning) {
            consumer.seekToBeginning(tps);
        } else if (start.offset != null && start.offset >= 0) {
            tps.forEach(tp -> consumer.seek(tp, start.offset));
        } else if (start.offset != null) {
            final Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
            consumer.endOffsets(tps).forEach((tp, end) -> consumer.seek(tp, Math.max(begin.get(tp), end + start.offset)));
        } else if (startTime != null) {
            consumer.seekToTimestamp(tps, startTime);
        } else {
            consumer.seekToEnd(tps);
        }
        return tps;
    }

    /** {@code --group}: the group decides the partitions and committed offsets where to start. */
    private int consumeInGroup(ConsumerConfig base, RecordFormatter formatter, PrintWriter out, PrintWriter err) {
        if (!partitions.isEmpty() || start.offset != null || start.timestamp != null || exitAtEnd) {
            err.println("skiff consume: --group cannot be combined with -p, -o, --timestamp or -e: the group "
                    + "assigns the partitions and starts at its committed offsets");
            return 2;
        }
        final Map<String, Object> props = new LinkedHashMap<>(base.originals());
        props.put(ConsumerConfig.GROUP_ID, group);
        props.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT, "false"); // we commit exactly what was printed
        if (start.fromBeginning) {
            props.put(ConsumerConfig.AUTO_OFFSET_RESET, "earliest");
        }
        try (StopSignal stop = StopSignal.install(this::wakeup)) {
            final GroupConsumeLoop loop = new GroupConsumeLoop(ConsumerConfig.fromProperties(props), topic, max,
                    formatter);
            groupLoop = loop;
            final long count = loop.run(out, stop);
            err.println("Processed a total of " + count + " messages");
            return stop.stopped() ? 130 : 0;
        } catch (ConfigException e) {
            err.println("skiff consume: " + e.getMessage());
            return 2;
        } catch (ConsumerException | IllegalArgumentException e) {
            out.flush();
            err.println("skiff consume: " + Failures.message(e));
            return 1;
        } finally {
            groupLoop = null;
        }
    }

    private void wakeup() {
        final GroupConsumeLoop loop = groupLoop;
        if (loop != null) {
            loop.wakeup();
        }
        final SimpleConsumer<byte[], byte[]> c = running;
        if (c != null) {
            c.wakeup();
        }
    }

    static long parseTime(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException notMillis) {
            try {
                return Instant.parse(text.trim()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--timestamp expects ms since the epoch or ISO-8601 "
                        + "(2025-01-31T12:00:00Z), got '" + text + "'");
            }
        }
    }
}

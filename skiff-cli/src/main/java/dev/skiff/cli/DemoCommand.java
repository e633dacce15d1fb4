package dev.skiff.cli;

import dev.skiff.broker.Broker;
import dev.skiff.broker.BrokerConfig;
import dev.skiff.cli.internal.Checksum;
import dev.skiff.cli.internal.ChecksummingSerializer;
import dev.skiff.cli.internal.EffectiveConfig;
import dev.skiff.cli.internal.Failures;
import dev.skiff.cli.internal.HistogramChart;
import dev.skiff.cli.internal.LogConfigurator;
import dev.skiff.cli.internal.Orders;
import dev.skiff.cli.internal.Percentiles;
import dev.skiff.cli.internal.Progress;
import dev.skiff.cli.internal.Reachability;
import dev.skiff.cli.internal.SendTracker;
import dev.skiff.cli.internal.StopSignal;
import dev.skiff.cli.internal.Terminal;
import dev.skiff.client.producer.ConfigException;
import dev.skiff.client.producer.Producer;
import dev.skiff.client.producer.ProducerConfig;
import dev.skiff.client.producer.ProducerRecord;
import dev.skiff.client.producer.RecordMetadata;
import dev.skiff.client.serde.JsonSerializer;
import dev.skiff.client.serde.StringSerializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code skiff demo}: Kafka's production flow end to end in one command. Starts an embedded broker (or uses
 * {@code --bootstrap-server}), creates topic {@code orders}, sends keyed JSON orders while showing progress,
 * reports where records went and how long acknowledgements took, reads everything back and checks it.
 *
 * <p>Exit codes: 0 when every record arrived intact, 1 when the check fails or a step errs, 2 for bad
 * arguments, 130 when stopped with Ctrl-C.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {"Show Kafka's production flow end to end: broker, topic, producer, consumer.",
                "Starts an embedded broker in a temporary directory unless --bootstrap-server is given."})
public final class DemoCommand implements Callable<Integer> {
    private static final String INDENT = "      ";
    private static final int SAMPLES = 5;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-n", "--records"}, paramLabel = "N", defaultValue = "1000000",
            description = "Orders to send (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Keep the embedded broker's data in DIR instead of a temporary directory.")
    Path dataDir;

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT",
            description = "Run against this Kafka cluster (Skiff or Apache Kafka) instead of an embedded broker.")
    String bootstrapServer;

    @Option(names = {"-t", "--topic"}, defaultValue = "orders", description = "Topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = {"-p", "--partitions"}, defaultValue = "6",
            description = "Partitions of a topic it creates (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = {"-X", "--property"}, paramLabel = "KEY=VALUE",
            description = "Any producer configuration by its Kafka name (repeatable), e.g. -X compression.type=lz4")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--progress", defaultValue = "auto", hidden = true,
            description = "auto, bar or plain: how progress is shown (auto: a bar on a terminal only).")
    String progress;

    @Override
    public Integer call() {
        LogConfigurator.quiet();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (records < 1 || partitions < 1) {
            err.println("skiff demo: --records and --partitions must be at least 1");
            return 2;
        }
        final Terminal terminal = terminal(progress);
        final long start = System.nanoTime();
        Broker broker = null;
        Path tempDir = null;
        try (StopSignal stop = StopSignal.install(null)) {
            out.println(terminal.bold("Skiff demo") + ": Kafka's production flow, end to end");
            final String bootstrap;
            if (bootstrapServer == null) {
                final long t0 = System.nanoTime();
                final Path dir = dataDir != null ? dataDir : (tempDir = Files.createTempDirectory("skiff-demo-"));
                broker = Broker.start(BrokerConfig.builder().logDir(dir).listener("127.0.0.1", 0)
                        .set("num.partitions", Integer.toString(partitions)).build());
                bootstrap = broker.bootstrapServers();
                step(out, terminal, 1, "Broker", "embedded Skiff broker on " + bootstrap + " (data in " + dir
                        + "), started in " + millis(System.nanoTime() - t0));
            } else {
                final String unreachable = Reachability.check(bootstrapServer, 3000);
                if (unreachable != null) {
                    err.println("skiff demo: " + unreachable);
                    return 1;
                }
                bootstrap = bootstrapServer;
                step(out, terminal, 1, "Broker", "using the cluster at " + bootstrap);
            }
            final DemoTopic.Layout layout = DemoTopic.prepare(bootstrap, topic, partitions);
            step(out, terminal, 2, "Topic", layout.describe());

            final ProducerConfig config;
            try {
                // Bigger batches than Kafka's 16 KB and a smaller buffer: higher throughput on a laptop, and
                // latency that measures the flow rather than a 32 MB queue. -X overrides either.
                config = ProducerConfig.builder().bootstrapServers(bootstrap).batchSize(131_072)
                        .bufferMemory(8L << 20).setAll(properties).build();
            } catch (ConfigException e) {
                err.println("skiff demo: " + e.getMessage());
                return 2;
            }
            step(out, terminal, 3, "Producer", "effective configuration (Kafka's keys and defaults):");
            out.print(EffectiveConfig.format(config, INDENT + "  "));

            final Sent sent = produce(out, terminal, config, stop);
            if (sent == null) {
                return 1;
            }
            if (stop.stopped()) {
                out.println(INDENT + "stopped by Ctrl-C after " + Terminal.count(sent.tracker.acked()) + " records");
                return 130;
            }
            report(out, terminal, sent);

            step(out, terminal, 5, "Consumer", "reading every record back and checking it");
            final DemoVerifier.Result check = DemoVerifier.verify(bootstrap, topic, layout.startOffsets(),
                    sent.tracker.perPartition(), sent.checksum, terminal, out, INDENT, stop);
            for (String line : check.lines()) {
                out.println(INDENT + line);
            }
            final long elapsed = System.nanoTime() - start;
            step(out, terminal, 6, "Close", "producer, consumer" + (broker != null ? " and broker" : "")
                    + " closed; total " + Terminal.seconds(elapsed));
            return check.ok() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            err.println("skiff demo: " + Failures.message(e));
            return 1;
        } finally {
            if (broker != null) {
                broker.close();
            }
            if (tempDir != null) {
                deleteQuietly(tempDir);
            }
            out.flush();
        }
    }

    /** What the produce phase left for the report and the check. */
    private static final class Sent {
        final SendTracker tracker = new SendTracker();
        final Checksum checksum = new Checksum();
        final List<CompletableFuture<RecordMetadata>> samples = new ArrayList<>();
        long nanos;
        long bytes;
    }

    private Sent produce(PrintWriter out, Terminal terminal, ProducerConfig config, StopSignal stop) {
        final Sent sent = new Sent();
        step(out, terminal, 4, "Send", Terminal.count(records) + " keyed JSON orders to '" + topic
                + "' (key = customer id, " + Orders.CUSTOMERS + " customers)");
        final SendTracker tracker = sent.tracker;
        final long t0 = System.nanoTime();
        try (Producer<String, Orders.Order> producer = Producer.create(config,
                new ChecksummingSerializer<>(new StringSerializer(), sent.checksum),
                new ChecksummingSerializer<>(new JsonSerializer<>(), sent.checksum))) {
            final Progress bar = Progress.builder(terminal, out).label(INDENT).records(tracker::acked, records)
                    .bytes(tracker::ackedBytes).latency(tracker.latency()).plainInterval(Duration.ofSeconds(1))
                    .start();
            try (bar) {
                for (long i = 0; i < records && !stop.stopped(); i++) {
                    final long now = System.nanoTime();
                    final CompletableFuture<RecordMetadata> f = producer.send(
                            new ProducerRecord<>(topic, Orders.key(i), Orders.order(i)), tracker.callback(now));
                    if (i < SAMPLES) {
                        sent.samples.add(f);
                    }
                    if (tracker.errors() > 0) {
                        break;
                    }
                }
                producer.flush();
            }
        }
        sent.nanos = System.nanoTime() - t0;
        sent.bytes = tracker.ackedBytes();
        if (tracker.errors() > 0) {
            out.println(INDENT + terminal.red("send failed: ") + Failures.message(tracker.firstError()));
            return null;
        }
        return sent;
    }

    private void report(PrintWriter out, Terminal terminal, Sent sent) {
        final SendTracker tracker = sent.tracker;
        out.println(INDENT + String.format(Locale.ROOT, "sent %s records (%s) in %s: %s records/s, %.1f MB/s",
                Terminal.count(tracker.acked()), Terminal.megabytes(sent.bytes), Terminal.seconds(sent.nanos),
                Terminal.count(Math.round(Terminal.perSecond(tracker.acked(), sent.nanos))),
                Terminal.perSecond(sent.bytes, sent.nanos) / (1024 * 1024)));
        out.println(INDENT + "first acknowledgements (RecordMetadata):");
        for (int i = 0; i < sent.samples.size(); i++) {
            final RecordMetadata md = sent.samples.get(i).join();
            out.println(INDENT + "  " + String.format(Locale.ROOT, "key %s -> topic=%s partition=%d offset=%d",
                    Orders.key(i), md.topic(), md.partition(), md.offset()));
        }
        out.println(INDENT + "records per partition (the key picks the partition: murmur2(key) % partitions):");
        final Map<Integer, Long> perPartition = tracker.perPartition();
        final long most = perPartition.values().stream().max(Comparator.naturalOrder()).orElse(1L);
        for (Map.Entry<Integer, Long> e : perPartition.entrySet()) {
            final int cells = (int) Math.round(e.getValue() * 30.0 / Math.max(1, most));
            out.println(INDENT + String.format(Locale.ROOT, "  %s-%-3d %10s  ", topic, e.getKey(),
                    Terminal.count(e.getValue())) + terminal.cyan("#".repeat(cells)));
        }
        final Histogram latency = tracker.latency().total();
        out.println(INDENT + "latency, send to acknowledgement: " + Percentiles.of(latency).line());
        out.print(HistogramChart.format(latency, INDENT + "  ", 30, terminal));
    }

    private static void step(PrintWriter out, Terminal terminal, int n, String name, String text) {
        out.println(terminal.bold(String.format(Locale.ROOT, "[%d/6] %-8s", n, name)) + " " + text);
        out.flush();
    }

    private static String millis(long nanos) {
        return (nanos / 1_000_000) + " ms";
    }

    static Terminal terminal(String mode) {
        switch (mode) {
            case "bar":
                return Terminal.interactive(100, false);
            case "plain":
                return Terminal.plain();
            default:
                return Terminal.detect();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}

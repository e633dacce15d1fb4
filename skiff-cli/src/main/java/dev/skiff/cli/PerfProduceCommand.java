package dev.skiff.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.cli.internal.BootstrapOption;
import dev.skiff.cli.internal.ChartWriter;
import dev.skiff.cli.internal.EffectiveConfig;
import dev.skiff.cli.internal.Failures;
import dev.skiff.cli.internal.LogConfigurator;
import dev.skiff.cli.internal.Percentiles;
import dev.skiff.cli.internal.PngChartWriter;
import dev.skiff.cli.internal.ProducerOptions;
import dev.skiff.cli.internal.Progress;
import dev.skiff.cli.internal.SendTracker;
import dev.skiff.cli.internal.StopSignal;
import dev.skiff.cli.internal.Terminal;
import dev.skiff.cli.internal.ThroughputThrottle;
import dev.skiff.cli.internal.Timeline;
import dev.skiff.client.producer.Producer;
import dev.skiff.client.producer.ProducerConfig;
import dev.skiff.client.producer.ProducerMetrics;
import dev.skiff.client.producer.ProducerRecord;
import dev.skiff.client.serde.ByteArraySerializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code skiff perf produce}: Kafka's ProducerPerformance knobs and report lines (records/sec, MB/sec, avg
 * and max latency per interval; percentiles at the end), with latency measured per record from send to
 * acknowledgement in an HdrHistogram, plus {@code --json} and {@code --chart}.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Send records as fast as allowed and report throughput and latency.",
                "Example: skiff perf produce -t perf --num-records 1000000 --record-size 100 --throughput -1"})
public final class PerfProduceCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private BootstrapOption bootstrap;

    @Mixin
    private ProducerOptions producerOptions;

    @Option(names = {"-t", "--topic"}, required = true, description = "Topic to produce to.")
    String topic;

    @Option(names = {"-n", "--num-records"}, required = true, paramLabel = "N", description = "Records to send.")
    long numRecords;

    /** What each record carries: a size of random letters, or lines of a file. */
    static final class Payload {
        @Option(names = {"-s", "--record-size"}, paramLabel = "BYTES", description = "Value size in bytes.")
        Integer recordSize;

        @Option(names = "--payload-file", paramLabel = "FILE",
                description = "Values taken at random from FILE, split by --payload-delimiter.")
        Path payloadFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Payload payload;

    @Option(names = "--payload-delimiter", defaultValue = "\\n", paramLabel = "DELIM",
            description = "Delimiter of --payload-file (default: \\n).")
    String payloadDelimiter;

    @Option(names = "--throughput", defaultValue = "-1", paramLabel = "RECORDS/S",
            description = "Cap on records per second; -1: no cap (default).")
    double throughput;

    @Option(names = "--producer-props", arity = "1..*", paramLabel = "KEY=VALUE",
            description = "Producer configurations, as kafka-producer-perf-test takes them.")
    Map<String, String> producerProps = new LinkedHashMap<>();

    @Option(names = "--reporting-interval", defaultValue = "5000", paramLabel = "MS",
            description = "Milliseconds between report lines (default: ${DEFAULT-VALUE}).")
    long reportingIntervalMs;

    @Option(names = "--print-metrics", description = "Print the producer's metrics at the end.")
    boolean printMetrics;

    @Option(names = "--json", description = "Print the final result as one JSON object on stdout (lines go to stderr).")
    boolean json;

    @Option(names = "--chart", paramLabel = "FILE.html|FILE.png",
            description = "Write latency over time and histogram as HTML/SVG or as a PNG image.")
    Path chart;

    @Option(names = "--progress", defaultValue = "auto", hidden = true, description = "auto, bar or plain.")
    String progress;

    @Override
    public Integer call() throws IOException {
        LogConfigurator.quiet();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final PrintWriter lines = json ? err : out;
        if (numRecords < 1) {
            err.println("skiff perf produce: --num-records must be at least 1");
            return 2;
        }
        if (chart != null && !isHtml(chart) && !isPng(chart)) {
            err.println("skiff perf produce: --chart " + chart + ": the file name must end in .html or .png");
            return 2;
        }
        final ProducerConfig config;
        final byte[][] payloads;
        try {
            config = producerOptions.build(bootstrap.get(), Map.of(), producerProps);
            payloads = payloads();
        } catch (IllegalArgumentException | IOException e) {
            err.println("skiff perf produce: " + Failures.message(e));
            return 2;
        }
        final String unreachable = bootstrap.unreachable(3000);
        if (unreachable != null) {
            err.println("skiff perf produce: " + unreachable);
            return 1;
        }
        final Terminal terminal = DemoCommand.terminal(progress);
        final long start = System.nanoTime();
        final Timeline timeline = new Timeline(start);
        final SendTracker tracker = new SendTracker().timeline(timeline);
        final SplittableRandom random = new SplittableRandom(42);
        long sent = 0;
        ProducerMetrics metrics;
        try (StopSignal stop = StopSignal.install(null)) {
            try (Producer<byte[], byte[]> producer = Producer.create(config, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                final ThroughputThrottle throttle = new ThroughputThrottle(throughput, System.nanoTime());
                final Progress bar = Progress.builder(terminal, terminal.isInteractive() ? err : lines)
                        .records(tracker::acked, numRecords).bytes(tracker::ackedBytes).latency(tracker.latency())
                        .plainInterval(Duration.ofMillis(reportingIntervalMs)).plainLine(PerfProduceCommand::line)
                        .start();
                try (bar) {
                    while (sent < numRecords && !stop.stopped() && tracker.errors() == 0) {
                        final byte[] value = payloads[payloads.length == 1 ? 0 : random.nextInt(payloads.length)];
                        producer.send(new ProducerRecord<>(topic, null, value), tracker.callback(System.nanoTime()));
                        throttle.pace(++sent);
                    }
                    producer.flush();
                }
                metrics = producer.metrics();
            }
            final long nanos = System.nanoTime() - start;
            final Histogram latency = tracker.latency().total();
            final Percentiles p = Percentiles.of(latency);
            final double recPerSec = Terminal.perSecond(tracker.acked(), nanos);
            final double mbPerSec = Terminal.perSecond(tracker.ackedBytes(), nanos) / (1024 * 1024);
            lines.println(String.format(Locale.ROOT, "%d records sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg "
                    + "latency, %.2f ms max latency, %s ms 50th, %s ms 95th, %s ms 99th, %s ms 99.9th.",
                    tracker.acked(), recPerSec, mbPerSec, p.avg(), p.max(), Percentiles.fmt(p.p50()),
                    Percentiles.fmt(p.p95()), Percentiles.fmt(p.p99()), Percentiles.fmt(p.p999())));
            if (tracker.errors() > 0) {
                lines.println(tracker.errors() + " records failed; first error: "
                        + Failures.message(tracker.firstError()));
            }
            if (printMetrics) {
                lines.println(metrics);
            }
            final Map<String, Object> result = result(config, tracker, nanos, p, recPerSec, mbPerSec, sent,
                    stop.stopped());
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(result));
            }
            if (chart != null) {
                writeChart(result, timeline, latency);
                lines.println("chart written to " + chart);
            }
            out.flush();
            err.flush();
            if (stop.stopped()) {
                return 130;
            }
            return tracker.errors() == 0 ? 0 : 1;
        }
    }

    private static String line(Progress.Window w) {
        final Percentiles p = w.latency() == null ? Percentiles.of(new Histogram(1)) : Percentiles.of(w.latency());
        return String.format(Locale.ROOT, "%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, "
                + "%.1f ms max latency.", w.windowRecords(), w.recordsPerSecond(), w.megabytesPerSecond(), p.avg(),
                p.max());
    }

    private byte[][] payloads() throws IOException {
        if (payload.recordSize != null) {
            if (payload.recordSize < 0) {
                throw new IllegalArgumentException("--record-size must be >= 0");
            }
            // Random upper-case letters, as Kafka's tool sends: compressible like text, not like zeros.
            final byte[] value = new byte[payload.recordSize];
            final SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < value.length; i++) {
                value[i] = (byte) ('A' + r.nextInt(26));
            }
            return new byte[][] {value};
        }
        final String text = Files.readString(payload.payloadFile, StandardCharsets.UTF_8);
        final String delimiter = payloadDelimiter.replace("\\n", "\n").replace("\\t", "\t");
        final List<byte[]> values = new ArrayList<>();
        for (String part : text.split(java.util.regex.Pattern.quote(delimiter))) {
            if (!part.isEmpty()) {
                values.add(part.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("--payload-file " + payload.payloadFile + " holds no payloads");
        }
        return values.toArray(new byte[0][]);
    }

    private Map<String, Object> result(ProducerConfig config, SendTracker tracker, long nanos, Percentiles p,
                                       double recPerSec, double mbPerSec, long sent, boolean stopped) {
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("topic", topic);
        r.put("records", tracker.acked());
        r.put("recordsSent", sent);
        r.put("errors", tracker.errors());
        r.put("bytes", tracker.ackedBytes());
        r.put("elapsedMs", nanos / 1_000_000);
        r.put("recordsPerSec", round(recPerSec));
        r.put("mbPerSec", round(mbPerSec));
        r.put("avgLatencyMs", round(p.avg()));
        r.put("p50Ms", round(p.p50()));
        r.put("p90Ms", round(p.p90()));
        r.put("p95Ms", round(p.p95()));
        r.put("p99Ms", round(p.p99()));
        r.put("p999Ms", round(p.p999()));
        r.put("maxLatencyMs", round(p.max()));
        r.put("throughputLimit", throughput);
        r.put("stopped", stopped);
        r.put("producerConfig", EffectiveConfig.of(config));
        return r;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private void writeChart(Map<String, Object> result, Timeline timeline, Histogram latency) throws IOException {
        final Map<String, String> summary = new LinkedHashMap<>();
        for (String k : List.of("records", "errors", "elapsedMs", "recordsPerSec", "mbPerSec", "p50Ms", "p99Ms",
                "p999Ms", "maxLatencyMs")) {
            summary.put(k, String.valueOf(result.get(k)));
        }
        @SuppressWarnings("unchecked")
        final Map<String, String> producerConfig = (Map<String, String>) result.get("producerConfig");
        summary.put("acks / compression / batch.size / linger.ms", producerConfig.get("acks") + " / "
                + producerConfig.get("compression.type") + " / " + producerConfig.get("batch.size") + " / "
                + producerConfig.get("linger.ms"));
        final String title = "skiff perf produce: " + Terminal.count((Long) result.get("records")) + " records to "
                + topic;
        if (isPng(chart)) {
            PngChartWriter.write(chart, title, summary, timeline.seconds(), latency);
        } else {
            ChartWriter.write(chart, title, summary, timeline.seconds(), latency);
        }
    }

    static boolean isHtml(Path file) {
        final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".html") || name.endsWith(".htm");
    }

    static boolean isPng(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
    }
}

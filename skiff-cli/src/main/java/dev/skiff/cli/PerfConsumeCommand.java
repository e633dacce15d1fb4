package dev.skiff.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.cli.internal.BootstrapOption;
import dev.skiff.cli.internal.ChartWriter;
import dev.skiff.cli.internal.Failures;
import dev.skiff.cli.internal.LogConfigurator;
import dev.skiff.cli.internal.PngChartWriter;
import dev.skiff.cli.internal.ProducerOptions;
import dev.skiff.cli.internal.Progress;
import dev.skiff.cli.internal.StopSignal;
import dev.skiff.cli.internal.Terminal;
import dev.skiff.cli.internal.Timeline;
import dev.skiff.client.TopicPartition;
import dev.skiff.client.consumer.ConsumerConfig;
import dev.skiff.client.consumer.ConsumerException;
import dev.skiff.client.consumer.ConsumerRecord;
import dev.skiff.client.consumer.SimpleConsumer;
import dev.skiff.client.serde.ByteArrayDeserializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code skiff perf consume}: Kafka's ConsumerPerformance report (start.time, end.time, data.consumed.in.MB,
 * MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec)
 * for a simple consumer reading every partition from the beginning (no group, so rebalance time is 0).
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {"Read records as fast as possible and report throughput.",
                "Example: skiff perf consume -t perf --messages 1000000"})
public final class PerfConsumeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private BootstrapOption bootstrap;

    @Option(names = {"-t", "--topic"}, required = true, description = "Topic to read.")
    String topic;

    @Option(names = {"-n", "--messages"}, required = true, paramLabel = "N", description = "Records to read.")
    long messages;

    @Option(names = "--from-latest", description = "Start at the end instead of the beginning.")
    boolean fromLatest;

    @Option(names = "--timeout", defaultValue = "10000", paramLabel = "MS",
            description = "Stop when no record arrives for this long (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--reporting-interval", defaultValue = "5000", paramLabel = "MS",
            description = "Milliseconds between lines with --show-detailed-stats (default: ${DEFAULT-VALUE}).")
    long reportingIntervalMs;

    @Option(names = "--show-detailed-stats", description = "Print a line per reporting interval.")
    boolean detailed;

    @Option(names = "--hide-header", description = "Do not print the header line.")
    boolean hideHeader;

    @Option(names = "--consumer.config", paramLabel = "FILE", description = "A consumer properties file.")
    Path configFile;

    @Option(names = {"-X", "--property", "--consumer-property"}, paramLabel = "KEY=VALUE",
            description = "Any consumer configuration by its Kafka name (repeatable).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--chart", paramLabel = "FILE.html|FILE.png",
            description = "Write end-to-end latency (record timestamp to consumption) over time and its histogram "
                    + "as HTML/SVG or as a PNG image.")
    Path chart;

    @Option(names = "--json", description = "Print the result as one JSON object instead of the table.")
    boolean json;

    @Option(names = "--progress", defaultValue = "auto", hidden = true, description = "auto, bar or plain.")
    String progress;

    private volatile SimpleConsumer<byte[], byte[]> running;

    @Override
    public Integer call() throws IOException {
        LogConfigurator.quiet();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final ConsumerConfig config;
        try {
            final Map<String, Object> all = new LinkedHashMap<>();
            all.put(ConsumerConfig.MAX_POLL_RECORDS, 10_000);
            if (configFile != null) {
                all.putAll(ProducerOptions.readProperties(configFile));
            }
            all.putAll(properties);
            all.put(ConsumerConfig.BOOTSTRAP_SERVERS, bootstrap.get());
            config = ConsumerConfig.fromProperties(all);
        } catch (IllegalArgumentException | IOException e) {
            err.println("skiff perf consume: " + Failures.message(e));
            return 2;
        }
        if (chart != null && !PerfProduceCommand.isHtml(chart) && !PerfProduceCommand.isPng(chart)) {
            err.println("skiff perf consume: --chart " + chart + ": the file name must end in .html or .png");
            return 2;
        }
        final String unreachable = bootstrap.unreachable(3000);
        if (unreachable != null) {
            err.println("skiff perf consume: " + unreachable);
            return 1;
        }
        final Terminal terminal = DemoCommand.terminal(progress);
        final AtomicLong records = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        if (!hideHeader && !json) {
            out.println("start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, "
                    + "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec");
        }
        final long startMs = System.currentTimeMillis();
        final long start = System.nanoTime();
        long fetchStart = start;
        // End-to-end latency of each record: its (producer) timestamp to the moment it is consumed.
        final Timeline timeline = chart == null ? null : new Timeline(start);
        final Histogram endToEnd = chart == null ? null : new Histogram(3_600_000_000L, 3);
        try (StopSignal stop = StopSignal.install(this::wakeup);
             SimpleConsumer<byte[], byte[]> consumer = SimpleConsumer.create(config, new ByteArrayDeserializer(),
                     new ByteArrayDeserializer())) {
            running = consumer;
            final List<TopicPartition> tps = new ArrayList<>();
            for (int p : consumer.partitionsFor(topic)) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            if (fromLatest) {
                consumer.seekToEnd(tps);
            } else {
                consumer.seekToBeginning(tps);
            }
            fetchStart = System.nanoTime();
            final boolean bar = terminal.isInteractive() && !detailed;
            final Progress progressReport = bar || detailed ? Progress.builder(terminal, bar ? err : out)
                    .records(records::get, messages).bytes(bytes::get)
                    .plainInterval(Duration.ofMillis(reportingIntervalMs)).plainLine(w -> detailLine(startMs, w))
                    .start() : null;
            try (progressReport) {
                long lastData = System.nanoTime();
                while (records.get() < messages && !stop.stopped()) {
                    final List<ConsumerRecord<byte[], byte[]>> batch = consumer.poll(Duration.ofMillis(100));
                    // Count no more than asked for, so runs of different poll sizes compare.
                    final int take = (int) Math.min(batch.size(), messages - records.get());
                    long b = 0;
                    for (int i = 0; i < take; i++) {
                        final ConsumerRecord<byte[], byte[]> r = batch.get(i);
                        b += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
                        if (timeline != null) {
                            final long micros = Math.min(3_600_000_000L,
                                    Math.max(0, (System.currentTimeMillis() - r.timestamp()) * 1000));
                            timeline.record(micros);
                            endToEnd.recordValue(micros);
                        }
                    }
                    bytes.addAndGet(b);
                    records.addAndGet(take);
                    if (!batch.isEmpty()) {
                        lastData = System.nanoTime();
                    } else if ((System.nanoTime() - lastData) / 1_000_000 > timeoutMs) {
                        err.println("WARNING: Exiting before consuming the expected number of messages: timeout ("
                                + timeoutMs + " ms) exceeded. You can use the --timeout option to increase it.");
                        break;
                    }
                }
            }
            report(out, startMs, start, fetchStart, records.get(), bytes.get());
            if (chart != null) {
                writeChart(timeline, endToEnd, records.get());
                (json ? err : out).println("chart written to " + chart);
            }
            return stop.stopped() ? 130 : 0;
        } catch (ConsumerException e) {
            err.println("skiff perf consume: " + Failures.message(e));
            return 1;
        } finally {
            running = null;
        }
    }

    private void report(PrintWriter out, long startMs, long start, long fetchStart, long n, long b)
            throws IOException {
        final long end = System.nanoTime();
        final double mb = b / (1024.0 * 1024.0);
        final double secs = (end - start) / 1e9;
        final long fetchMs = (end - fetchStart) / 1_000_000;
        final double fetchSecs = Math.max(1e-9, (end - fetchStart) / 1e9);
        if (json) {
            final Map<String, Object> r = new LinkedHashMap<>();
            r.put("topic", topic);
            r.put("records", n);
            r.put("bytes", b);
            r.put("elapsedMs", (end - start) / 1_000_000);
            r.put("mb", mb);
            r.put("mbPerSec", mb / secs);
            r.put("recordsPerSec", n / secs);
            r.put("fetchTimeMs", fetchMs);
            r.put("fetchMbPerSec", mb / fetchSecs);
            r.put("fetchRecordsPerSec", n / fetchSecs);
            out.println(new ObjectMapper().writeValueAsString(r));
        } else {
            out.println(String.format(Locale.ROOT, "%s, %s, %.4f, %.4f, %d, %.4f, 0, %d, %.4f, %.4f",
                    time(startMs), time(System.currentTimeMillis()), mb, mb / secs, n, n / secs, fetchMs,
                    mb / fetchSecs, n / fetchSecs));
        }
        out.flush();
    }

    private void writeChart(Timeline timeline, Histogram endToEnd, long n) throws IOException {
        final Map<String, String> summary = new LinkedHashMap<>();
        summary.put("records", Long.toString(n));
        summary.put("latency", "record timestamp to consumption (end to end)");
        summary.put("p50Ms", String.valueOf(endToEnd.getValueAtPercentile(50) / 1000.0));
        summary.put("p99Ms", String.valueOf(endToEnd.getValueAtPercentile(99) / 1000.0));
        summary.put("maxLatencyMs", String.valueOf(endToEnd.getMaxValue() / 1000.0));
        final String title = "skiff perf consume: " + Terminal.count(n) + " records from " + topic;
        if (PerfProduceCommand.isPng(chart)) {
            PngChartWriter.write(chart, title, summary, timeline.seconds(), endToEnd);
        } else {
            ChartWriter.write(chart, title, summary, timeline.seconds(), endToEnd);
        }
    }

    private static String detailLine(long startMs, Progress.Window w) {
        final double mb = w.bytes() / (1024.0 * 1024.0);
        return String.format(Locale.ROOT, "%s, %.4f, %.4f, %d, %.4f", time(startMs + w.elapsedNanos() / 1_000_000),
                mb, w.megabytesPerSecond(), w.records(), w.recordsPerSecond());
    }

    private static String time(long ms) {
        return new SimpleDateFormat("yyyy-MM-dd HH:mm:ss:SSS", Locale.ROOT).format(new Date(ms));
    }

    private void wakeup() {
        final SimpleConsumer<byte[], byte[]> c = running;
        if (c != null) {
            c.wakeup();
        }
    }
}

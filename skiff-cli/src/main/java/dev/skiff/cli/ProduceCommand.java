package dev.skiff.cli;

import dev.skiff.cli.internal.BootstrapOption;
import dev.skiff.cli.internal.Failures;
import dev.skiff.cli.internal.Format;
import dev.skiff.cli.internal.LineEncoder;
import dev.skiff.cli.internal.LineSource;
import dev.skiff.cli.internal.LogConfigurator;
import dev.skiff.cli.internal.ProducerOptions;
import dev.skiff.cli.internal.Progress;
import dev.skiff.cli.internal.SendTracker;
import dev.skiff.cli.internal.StopSignal;
import dev.skiff.cli.internal.Terminal;
import dev.skiff.client.producer.ConfigException;
import dev.skiff.client.producer.Producer;
import dev.skiff.client.producer.ProducerConfig;
import dev.skiff.client.producer.ProducerRecord;
import dev.skiff.client.serde.ByteArraySerializer;
import dev.skiff.client.serde.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code skiff produce}: one record per input line (stdin or {@code --file}), optionally keyed and with
 * headers, in text, JSON or Avro; a summary on stderr at the end (and on Ctrl-C).
 *
 * <p>Exit codes: 0 when every line was delivered, 1 when some failed or the broker is unreachable, 2 for
 * bad arguments, 130 when stopped with Ctrl-C.
 */
@Command(name = "produce",
        mixinStandardHelpOptions = true,
        description = {"Send lines from stdin or a file as records, one record per line.",
                "Example: printf 'k1:hello\\nk2:world\\n' | skiff produce -t greetings --key-separator :"})
public final class ProduceCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private BootstrapOption bootstrap;

    @Mixin
    private ProducerOptions producerOptions;

    @Option(names = {"-t", "--topic"}, required = true, description = "Topic to send to.")
    String topic;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read lines from FILE instead of stdin.")
    Path file;

    @Option(names = {"-K", "--key-separator"}, paramLabel = "SEP",
            description = "Split each line at the first SEP into key and value (lines without it are errors).")
    String keySeparator;

    @Option(names = {"-H", "--header"}, paramLabel = "KEY=VALUE", description = "A header on every record (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text, json or avro (default: ${DEFAULT-VALUE}); json lines are validated, avro lines are "
                    + "Avro JSON encoding read with --schema.")
    Format format;

    @Option(names = "--schema", paramLabel = "FILE", description = "Avro schema (.avsc) for --format avro.")
    Path schema;

    @Option(names = {"-p", "--partition"}, paramLabel = "N", description = "Send every record to partition N.")
    Integer partition;

    @Option(names = "--progress", defaultValue = "auto", hidden = true, description = "auto, bar or plain.")
    String progress;

    @Override
    public Integer call() {
        LogConfigurator.quiet();
        final PrintWriter err = spec.commandLine().getErr();
        final String[][] headerPairs;
        final LineEncoder encoder;
        final ProducerConfig config;
        try {
            headerPairs = parseHeaders(headers);
            encoder = LineEncoder.of(format, schema);
            config = producerOptions.build(bootstrap.get(), Map.of(), Map.of());
        } catch (IllegalArgumentException | IOException e) {
            // ConfigException is an IllegalArgumentException: bad arguments either way.
            err.println("skiff produce: " + Failures.message(e));
            return 2;
        }
        final String unreachable = bootstrap.unreachable(3000);
        if (unreachable != null) {
            err.println("skiff produce: " + unreachable);
            return 1;
        }
        final InputStream in;
        final long size;
        try {
            in = file == null ? System.in : Files.newInputStream(file);
            size = file == null ? -1 : Files.size(file);
        } catch (NoSuchFileException e) {
            err.println("skiff produce: no such file: " + file);
            return 2;
        } catch (IOException e) {
            err.println("skiff produce: cannot read " + file + ": " + Failures.message(e));
            return 2;
        }
        final Terminal terminal = DemoCommand.terminal(progress);
        final SendTracker tracker = new SendTracker();
        final LineSource lines = LineSource.start(in);
        long lineNo = 0;
        long inputErrors = 0;
        String firstInputError = null;
        final long start = System.nanoTime();
        try (StopSignal stop = StopSignal.install(null);
             Producer<byte[], byte[]> producer = Producer.create(config, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            final Progress bar = file != null && terminal.isInteractive()
                    ? Progress.builder(terminal, err).label("producing").records(tracker::acked, -1)
                            .bytes(tracker::ackedBytes).fraction(lines::bytesRead, size).start()
                    : null;
            try {
                List<String> chunk;
                while (!stop.stopped() && (chunk = lines.poll(100)) != null) {
                    for (String line : chunk) {
                        lineNo++;
                        try {
                            send(producer, tracker, encoder, headerPairs, line);
                        } catch (IllegalArgumentException e) {
                            inputErrors++;
                            if (firstInputError == null) {
                                firstInputError = "line " + lineNo + ": " + Failures.message(e);
                            }
                        }
                    }
                }
                producer.flush();
            } finally {
                if (bar != null) {
                    bar.close();
                }
            }
            if (lines.failure() != null) {
                err.println("skiff produce: reading input failed: " + Failures.message(lines.failure()));
            }
            final long errors = inputErrors + tracker.errors();
            err.println(String.format(Locale.ROOT, "%s records sent to %s, %s bytes, %d errors, in %s%s",
                    Terminal.count(tracker.acked()), topic, Terminal.count(tracker.ackedBytes()), errors,
                    Terminal.seconds(System.nanoTime() - start), stop.stopped() ? " (stopped by Ctrl-C)" : ""));
            if (firstInputError != null) {
                err.println("first bad input: " + firstInputError);
            }
            if (tracker.firstError() != null) {
                err.println("first send error: " + Failures.message(tracker.firstError()));
            }
            err.flush();
            if (stop.stopped()) {
                return 130;
            }
            return errors == 0 && lines.failure() == null ? 0 : 1;
        } catch (ConfigException e) {
            err.println("skiff produce: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (RuntimeException e) {
            err.println("skiff produce: " + Failures.message(e));
            return 1;
        }
    }

    private void send(Producer<byte[], byte[]> producer, SendTracker tracker, LineEncoder encoder,
                      String[][] headerPairs, String line) {
        byte[] key = null;
        String value = line;
        if (keySeparator != null) {
            final int at = line.indexOf(keySeparator);
            if (at < 0) {
                throw new IllegalArgumentException("no key separator '" + keySeparator + "'");
            }
            key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
            value = line.substring(at + keySeparator.length());
        }
        final Headers h = new Headers();
        for (String[] kv : headerPairs) {
            h.add(kv[0], kv[1]);
        }
        final byte[] bytes = encoder.encode(topic, h, value);
        producer.send(new ProducerRecord<>(topic, partition, null, key, bytes, h), tracker.callback(System.nanoTime()));
    }

    private static String[][] parseHeaders(List<String> headers) {
        final String[][] pairs = new String[headers.size()][];
        for (int i = 0; i < headers.size(); i++) {
            final String kv = headers.get(i);
            final int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--header expects KEY=VALUE, got '" + kv + "'");
            }
            pairs[i] = new String[] {kv.substring(0, eq), kv.substring(eq + 1)};
        }
        return pairs;
    }
}

package dev.skiff.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Skiff broker in its own JVM, started the way a user starts it ({@code skiff broker --set ...}), so a
 * test can SIGKILL it: no shutdown hook, no flush, no clean-shutdown marker, exactly like a crash.
 *
 * <p>The child runs {@code dev.skiff.cli.SkiffCommand} with this JVM's class path. Its stdout and stderr
 * are collected (for failure messages) and scanned for the "listening" line that says it is ready.
 */
final class BrokerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Skiff broker listening on (\\S+):(\\d+)");
    private static final int MAX_KEPT_LINES = 400;

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<String> listening = new CompletableFuture<>();
    private final Thread reader;

    private BrokerProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::readOutput, "broker-process-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts {@code skiff broker} on a free loopback port with its logs in {@code logDir} and returns once
     * it prints that it is listening.
     *
     * @param settings extra {@code key=value} broker settings, each passed as {@code --set}
     */
    static BrokerProcess start(Path logDir, Duration timeout, String... settings) throws Exception {
        return start(logDir, 0, timeout, settings);
    }

    /** As {@link #start(Path, Duration, String...)}, on a given port (0 for a free one). */
    static BrokerProcess start(Path logDir, int port, Duration timeout, String... settings) throws Exception {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small and quick to start: the machine running the tests is shared.
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.skiff.cli.SkiffCommand");
        command.add("broker");
        command.add("--set");
        command.add("log.dirs=" + logDir.toAbsolutePath());
        command.add("--set");
        command.add("listeners=PLAINTEXT://127.0.0.1:" + port);
        for (String setting : settings) {
            command.add("--set");
            command.add(setting);
        }
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final BrokerProcess broker = new BrokerProcess(process);
        try {
            broker.listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return broker;
        } catch (TimeoutException | ExecutionException e) {
            broker.close();
            throw new AssertionError("skiff broker did not report listening within " + timeout + ". Output:\n"
                    + broker.output(), e);
        }
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (output) {
                    if (output.size() == MAX_KEPT_LINES) {
                        output.remove(0);
                    }
                    output.add(line);
                }
                final Matcher m = LISTENING.matcher(line);
                if (!listening.isDone() && m.find()) {
                    listening.complete(m.group(1) + ":" + m.group(2));
                }
            }
        } catch (IOException e) {
            // The process died and took the pipe with it; what was read so far is kept.
        } finally {
            listening.completeExceptionally(new IllegalStateException("the broker process ended"));
        }
    }

    /** {@code host:port} from the broker's "listening" line. */
    String bootstrapServers() {
        return listening.join();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines the process printed. */
    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** SIGKILL (Process.destroyForcibly on Unix) and wait for the exit, so the log directory is free. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("broker process " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                kill();
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

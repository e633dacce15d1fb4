package dev.skiff.kafkapeer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Apache Kafka KRaft node running as a child JVM: its directory, its process and its log.
 *
 * <p>Directory layout, one per node under the cluster directory:
 * <pre>
 *   node-&lt;id&gt;/
 *     server.properties   written once, reused by restarts
 *     data/               log.dirs and the KRaft metadata log (formatted once)
 *     format.log          output of kafka-storage format
 *     server.log          stdout and stderr of every run, appended, so a restart keeps the history
 * </pre>
 *
 * <p>Not thread-safe: {@link KafkaCluster} serialises calls, except {@link #destroyNow()} which the shutdown hook
 * may call at any time and which only reads the volatile process reference.
 */
final class KafkaNode {
    private static final int TAIL_BYTES = 16 * 1024;
    private static final int PROBE_TIMEOUT_MS = 250;

    private final NodeConfig.Node node;
    private final Path dir;
    private volatile Process process;

    KafkaNode(final NodeConfig.Node node, final Path clusterDir) {
        this.node = node;
        this.dir = clusterDir.resolve("node-" + node.nodeId());
    }

    int nodeId() {
        return node.nodeId();
    }

    NodeConfig.Node spec() {
        return node;
    }

    Path dir() {
        return dir;
    }

    Path configFile() {
        return dir.resolve("server.properties");
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    Path formatLog() {
        return dir.resolve("format.log");
    }

    Path serverLog() {
        return dir.resolve("server.log");
    }

    void prepareDirectory() {
        try {
            Files.createDirectories(dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dataDir(), e);
        }
    }

    /** Launches {@code command} with output appended to {@code log} and a stdin pipe the child may watch. */
    static Process launch(final List<String> command, final Path workDir, final Path log) {
        final ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new KafkaPeerException("cannot launch " + String.join(" ", command), e);
        }
    }

    void start(final List<String> command) {
        if (isAlive()) {
            throw new IllegalStateException("node " + nodeId() + " is already running (pid " + process.pid() + ")");
        }
        process = launch(command, dir, serverLog());
    }

    boolean isAlive() {
        final Process p = process;
        return p != null && p.isAlive();
    }

    long pid() {
        final Process p = process;
        return p == null || !p.isAlive() ? -1 : p.pid();
    }

    /** Exit status of the last run, or null while running or before the first start. */
    Integer exitStatus() {
        final Process p = process;
        return p == null || p.isAlive() ? null : p.exitValue();
    }

    /** True once the client listener accepts a TCP connection. */
    boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(NodeConfig.HOST, node.brokerPort()), PROBE_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL, then wait for the exit so the ports and files are free when this returns. */
    void kill(final long waitMillis) {
        final Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        awaitExit(p, waitMillis);
    }

    /**
     * SIGTERM, letting Kafka run its controlled shutdown (leadership moves away first); SIGKILL if it has not
     * exited after {@code graceMillis}.
     */
    void stop(final long graceMillis, final long killWaitMillis) {
        final Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        // Through the ProcessHandle: Process.destroy() also closes the stdin pipe, which ParentWatch takes for the
        // parent's death and answers with an immediate halt, so Kafka would never run its clean shutdown.
        p.toHandle().destroy();
        if (!awaitExit(p, graceMillis)) {
            kill(killWaitMillis);
        }
    }

    /** Shutdown-hook path: no waiting on anything but the kernel. */
    void destroyNow() {
        final Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    void awaitExit(final long waitMillis, final String what) {
        final Process p = process;
        if (p != null && !awaitExit(p, waitMillis)) {
            throw new KafkaPeerException("node " + nodeId() + " (pid " + p.pid() + ") did not exit within "
                    + waitMillis + " ms after " + what);
        }
    }

    private static boolean awaitExit(final Process p, final long waitMillis) {
        try {
            return p.waitFor(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    /** The last {@code lines} lines of {@code log}, or a note saying why there are none. */
    static String tail(final Path log, final int lines) {
        if (!Files.isRegularFile(log)) {
            return "(no " + log.getFileName() + " was written)";
        }
        try (SeekableByteChannel channel = Files.newByteChannel(log)) {
            final long size = channel.size();
            final int length = (int) Math.min(size, TAIL_BYTES);
            final ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.position(size - length);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // keep reading until the tail is complete
            }
            final String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            final List<String> all = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
            if (length < size && !all.isEmpty()) {
                all.remove(0); // the first line was cut by the byte window
            }
            if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
                all.remove(all.size() - 1);
            }
            if (all.isEmpty()) {
                return "(" + log.getFileName() + " is empty)";
            }
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "node " + nodeId() + " (" + node.brokerAddress() + ")";
    }
}

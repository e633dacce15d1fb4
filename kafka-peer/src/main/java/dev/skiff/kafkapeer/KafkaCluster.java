package dev.skiff.kafkapeer;

import dev.skiff.kafkapeer.internal.ParentWatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka cluster of N KRaft nodes, each a combined broker and controller in its own child JVM, for
 * tests and benchmarks that need Kafka itself as the peer.
 *
 * <p>Why child processes rather than Kafka's in-JVM test harness: the peer must be Kafka exactly as released (its
 * jars come from Maven Central into {@code kafka-peer/target/kafka-libs}, see {@link KafkaLibs}), must be
 * killable like a crashed server, and must keep its classpath (Scala, Jetty, log4j2) out of the test JVM.
 *
 * <p>Start-up: pick free loopback ports (a client and a controller port per node), write each node's
 * {@code server.properties} with a static controller quorum, run {@code kafka-storage format} for all nodes in
 * parallel with one random cluster id, launch {@code kafka.Kafka} per node, then wait until every client port
 * accepts and the AdminClient's describeCluster lists every node (brokers are listed once unfenced, which needs a
 * working controller quorum). Node ids are 1..N. All files live in one temp directory, laid out as described in
 * {@code KafkaNode}; each node's output goes to {@code node-<id>/server.log}.
 *
 * <p>Cleanup: {@link #close()} SIGKILLs every node and deletes the directory. A JVM shutdown hook does the same if
 * the test JVM exits without closing, and each child halts by itself when the test JVM dies outright (see
 * {@link ParentWatch}), so no broker outlives a crashed test.
 *
 * <pre>{@code
 * try (KafkaCluster kafka = KafkaCluster.start(3)) {
 *     producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 *     ...
 *     kafka.killBroker(leaderId);     // SIGKILL, like a crash
 *     kafka.startBroker(leaderId);    // same ports and data, waits until it is back in the cluster
 * }
 * }</pre>
 *
 * <p>Thread-safe: public methods are synchronized.
 */
public final class KafkaCluster implements AutoCloseable {
    /** How long {@link Builder#start()} and {@link #startBroker(int)} wait for nodes by default. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);

    /**
     * JVM options of each node by default. The machines this runs on have 2 cores shared by the test JVM and up to
     * three brokers: a 512 MB heap each, the serial collector and C1-only compilation keep start-up CPU and memory
     * low at a throughput cost that tests do not notice. Benchmarks should pass Kafka's stock options instead.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true");

    /** System property that, when {@code true}, keeps the cluster directory after close (for debugging). */
    public static final String KEEP_DIRECTORY_PROPERTY = "kafka.peer.keep";

    private static final List<String> FORMAT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true");
    private static final long FORMAT_TIMEOUT_MILLIS = 120_000;
    private static final long STOP_GRACE_MILLIS = 60_000;
    private static final long KILL_WAIT_MILLIS = 30_000;
    private static final long POLL_MILLIS = 100;
    private static final int ADMIN_TIMEOUT_MILLIS = 5_000;
    private static final int LOG_TAIL_LINES = 40;

    private final int nodeCount;
    private final Map<String, String> brokerConfig;
    private final boolean testTuning;
    private final List<String> jvmOptions;
    private final Duration startTimeout;
    private final boolean keepDirectory;
    private final Path libs;
    private final Path directory;
    private final Path log4jConfig;
    private final String clusterId;
    // Concurrent because the shutdown hook iterates it without the lock, possibly while start-up fills it.
    private final SortedMap<Integer, KafkaNode> nodes = new ConcurrentSkipListMap<>();
    private final Thread shutdownHook;
    private boolean closed;

    private KafkaCluster(final Builder settings) {
        this.nodeCount = settings.nodeCount;
        this.brokerConfig = Collections.unmodifiableMap(new LinkedHashMap<>(settings.brokerConfig));
        this.testTuning = settings.testTuning;
        this.jvmOptions = settings.jvmOptions;
        this.startTimeout = settings.startTimeout;
        this.keepDirectory = settings.keepDirectory;
        this.libs = settings.kafkaLibs != null ? settings.kafkaLibs.toAbsolutePath() : KafkaLibs.locate();
        this.clusterId = Uuid.randomUuid().toString();
        try {
            if (settings.parentDirectory != null) {
                Files.createDirectories(settings.parentDirectory);
                this.directory = Files.createTempDirectory(settings.parentDirectory.toAbsolutePath(), "kafka-peer-");
            } else {
                this.directory = Files.createTempDirectory("kafka-peer-");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cluster directory", e);
        }
        this.log4jConfig = directory.resolve("log4j2.properties");
        this.shutdownHook = new Thread(this::destroyOnExit, "kafka-peer-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a cluster of {@code nodeCount} nodes with the default settings; see {@link Builder}. */
    public static KafkaCluster start(final int nodeCount) {
        return builder().nodes(nodeCount).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every node's client address, comma separated, whether running or not (clients skip dead ones). */
    public synchronized String bootstrapServers() {
        return nodes.values().stream().map(n -> n.spec().brokerAddress()).collect(Collectors.joining(","));
    }

    /** One node's client address, {@code 127.0.0.1:port}; stable across restarts. */
    public synchronized String bootstrapServer(final int nodeId) {
        return node(nodeId).spec().brokerAddress();
    }

    /** {@code bootstrap.servers} set to {@link #bootstrapServers()}, ready to extend into a client config. */
    public Map<String, Object> clientConfig() {
        final Map<String, Object> config = new LinkedHashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    public synchronized List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    public String clusterId() {
        return clusterId;
    }

    /** The directory holding every node's config, data and logs; deleted by {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** A node's {@code server.log}: its stdout and stderr, appended across restarts. */
    public synchronized Path logFile(final int nodeId) {
        return node(nodeId).serverLog();
    }

    /** The node's process id, or -1 when it is not running; benchmarks read {@code /proc/<pid>} with it. */
    public synchronized long pid(final int nodeId) {
        return node(nodeId).pid();
    }

    public synchronized boolean isRunning(final int nodeId) {
        return node(nodeId).isAlive();
    }

    /**
     * Stops a node cleanly: SIGTERM, so Kafka moves leadership away and closes its logs, then waits for the process
     * to exit (SIGKILL after a minute). The node is a controller too; with three nodes the quorum survives one stop.
     */
    public synchronized void stopBroker(final int nodeId) {
        ensureOpen();
        node(nodeId).stop(STOP_GRACE_MILLIS, KILL_WAIT_MILLIS);
    }

    /**
     * Kills a node with SIGKILL, like a crash or power loss: no controlled shutdown, partitions it led move only
     * after the controller fences it ({@code broker.session.timeout.ms}). Returns once the process has exited.
     */
    public synchronized void killBroker(final int nodeId) {
        ensureOpen();
        final KafkaNode node = node(nodeId);
        node.kill(KILL_WAIT_MILLIS);
        node.awaitExit(KILL_WAIT_MILLIS, "SIGKILL");
    }

    /**
     * Starts a stopped node again on the same ports and data, and waits until the cluster lists it. A node cannot
     * rejoin while the controller quorum is lost (2 of 3 nodes down): start those together with
     * {@link #startBrokers(int...)}.
     */
    public void startBroker(final int nodeId) {
        startBrokers(nodeId);
    }

    /** Starts several stopped nodes at once and waits until the cluster lists every running node. */
    public synchronized void startBrokers(final int... nodeIds) {
        ensureOpen();
        final List<KafkaNode> starting = new ArrayList<>();
        for (final int id : nodeIds) {
            final KafkaNode node = node(id);
            if (node.isAlive()) {
                throw new IllegalStateException(node + " is already running");
            }
            starting.add(node);
        }
        final long deadline = System.nanoTime() + startTimeout.toNanos();
        starting.forEach(node -> node.start(serverCommand(node)));
        awaitReady(starting, deadline);
    }

    /** SIGKILLs every node, waits for them to exit and deletes the cluster directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            nodes.values().forEach(KafkaNode::destroyNow);
            nodes.values().forEach(node -> node.kill(KILL_WAIT_MILLIS));
            if (!keepDirectory) {
                deleteRecursively(directory);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running or about to; it repeats the kill, which is harmless.
            }
        }
    }

    @Override
    public String toString() {
        return "KafkaCluster[" + clusterId + ", " + nodes.size() + " nodes, " + directory + "]";
    }

    private void startAll() {
        final int count = nodeCount;
        final int[] ports = freeLoopbackPorts(2 * count);
        final List<NodeConfig.Node> quorum = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            quorum.add(new NodeConfig.Node(i + 1, ports[2 * i], ports[2 * i + 1]));
        }
        writeLog4jConfig();
        for (final NodeConfig.Node spec : quorum) {
            final KafkaNode node = new KafkaNode(spec, directory);
            node.prepareDirectory();
            NodeConfig.write(node.configFile(), NodeConfig.render(spec, quorum, node.dataDir(),
                    testTuning, brokerConfig));
            nodes.put(spec.nodeId(), node);
        }
        final long deadline = System.nanoTime() + startTimeout.toNanos();
        format();
        nodes.values().forEach(node -> node.start(serverCommand(node)));
        awaitReady(nodes.values(), deadline);
    }

    /** Formats every node's storage in parallel: one short JVM each, all with this cluster's id. */
    private void format() {
        final Map<KafkaNode, Process> running = new LinkedHashMap<>();
        try {
            for (final KafkaNode node : nodes.values()) {
                final List<String> command = javaCommand(FORMAT_JVM_OPTIONS, "kafka.tools.StorageTool", "format",
                        "--cluster-id", clusterId, "--config", node.configFile().toString());
                running.put(node, KafkaNode.launch(command, node.dir(), node.formatLog()));
            }
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FORMAT_TIMEOUT_MILLIS);
            for (final Map.Entry<KafkaNode, Process> entry : running.entrySet()) {
                final Process process = entry.getValue();
                final long left = Math.max(0, deadline - System.nanoTime());
                if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    throw failure("kafka-storage format of " + entry.getKey() + " did not finish within "
                            + FORMAT_TIMEOUT_MILLIS + " ms", entry.getKey().formatLog());
                }
                if (process.exitValue() != 0) {
                    throw failure("kafka-storage format of " + entry.getKey() + " failed with exit status "
                            + process.exitValue(), entry.getKey().formatLog());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaPeerException("interrupted while formatting Kafka storage", e);
        } finally {
            running.values().forEach(Process::destroyForcibly);
        }
    }

    /**
     * Waits until each of {@code starting} accepts connections and describeCluster lists every running node. Fails
     * fast, with the node's log tail, when a starting process exits.
     */
    private void awaitReady(final Collection<KafkaNode> starting, final long deadline) {
        for (final KafkaNode node : starting) {
            while (!node.acceptsConnections()) {
                checkStillStarting(starting, deadline, node + " does not accept connections on its client port");
                pause();
            }
        }
        final Set<Integer> expected = nodes.values().stream().filter(KafkaNode::isAlive).map(KafkaNode::nodeId)
                .collect(Collectors.toCollection(TreeSet::new));
        final String bootstrap = nodes.values().stream().filter(KafkaNode::isAlive)
                .map(n -> n.spec().brokerAddress()).collect(Collectors.joining(","));
        Set<Integer> listed = Set.of();
        Throwable lastError = null;
        try (Admin admin = Admin.create(readinessAdminConfig(bootstrap))) {
            while (true) {
                try {
                    final int timeout = (int) Math.max(1, Math.min(ADMIN_TIMEOUT_MILLIS,
                            TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    final Collection<Node> described = admin.describeCluster(new DescribeClusterOptions()
                            .timeoutMs(timeout)).nodes().get(timeout, TimeUnit.MILLISECONDS);
                    listed = described.stream().map(Node::id).collect(Collectors.toCollection(TreeSet::new));
                    if (listed.containsAll(expected)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    lastError = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                }
                checkStillStarting(starting, deadline, "describeCluster lists nodes " + listed + ", expected "
                        + expected + (lastError == null ? "" : " (last error: " + lastError + ")"));
                pause();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaPeerException("interrupted while waiting for Kafka to start", e);
        }
    }

    private void checkStillStarting(final Collection<KafkaNode> starting, final long deadline, final String state) {
        for (final KafkaNode node : starting) {
            final Integer status = node.exitStatus();
            if (status != null) {
                throw failure(node + " exited with status " + status + " during start-up", node.serverLog());
            }
        }
        if (System.nanoTime() - deadline > 0) {
            throw failure("Apache Kafka did not start within " + startTimeout.toSeconds() + " s: " + state,
                    starting.stream().map(KafkaNode::serverLog).toArray(Path[]::new));
        }
    }

    private KafkaPeerException failure(final String what, final Path... logs) {
        final StringBuilder message = new StringBuilder(what);
        for (final Path log : logs) {
            message.append("\n--- last ").append(LOG_TAIL_LINES).append(" lines of ").append(log).append(" ---\n")
                    .append(KafkaNode.tail(log, LOG_TAIL_LINES));
        }
        return new KafkaPeerException(message.toString());
    }

    private static Map<String, Object> readinessAdminConfig(final String bootstrap) {
        final Map<String, Object> config = new LinkedHashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-peer-readiness");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ADMIN_TIMEOUT_MILLIS);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ADMIN_TIMEOUT_MILLIS);
        config.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return config;
    }

    private List<String> serverCommand(final KafkaNode node) {
        return javaCommand(jvmOptions, "kafka.Kafka", node.configFile().toString());
    }

    /**
     * {@code java <options> -cp <kafka-libs>/* [ParentWatch] <main> <args>}. ParentWatch is put in front whenever
     * this module's classes can be found on disk, so children die with the test JVM.
     */
    private List<String> javaCommand(final List<String> jvmOptions, final String mainClass, final String... args) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dlog4j2.configurationFile=" + log4jConfig);
        final Path peer = KafkaLibs.codeSource();
        command.add("-cp");
        if (peer != null) {
            command.add(peer + java.io.File.pathSeparator + KafkaLibs.classpathWildcard(libs));
            command.add(ParentWatch.class.getName());
        } else {
            command.add(KafkaLibs.classpathWildcard(libs));
        }
        command.add(mainClass);
        Collections.addAll(command, args);
        return command;
    }

    /**
     * Kafka 4 logs through log4j2; console output lands in each node's server.log. log4j2's own shutdown hook is off
     * so that what Kafka logs during a SIGTERM shutdown is not lost to a logger already stopped.
     */
    private void writeLog4jConfig() {
        final String config = String.join("\n",
                "status = warn",
                "shutdownHook = disable",
                "appender.console.type = Console",
                "appender.console.name = STDOUT",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.stdout.ref = STDOUT",
                "logger.request.name = kafka.request.logger",
                "logger.request.level = WARN",
                "");
        try {
            Files.writeString(log4jConfig, config, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + log4jConfig, e);
        }
    }

    /** Reserves distinct ports by holding them all open at once, then releases them for Kafka to bind. */
    static int[] freeLoopbackPorts(final int count) {
        final List<ServerSocket> sockets = new ArrayList<>();
        try {
            final InetAddress loopback = InetAddress.getByName(NodeConfig.HOST);
            final int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                final ServerSocket socket = new ServerSocket(0, 1, loopback);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free loopback ports", e);
        } finally {
            for (final ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Closing a listening socket that never accepted cannot lose anything.
                }
            }
        }
    }

    private KafkaNode node(final int nodeId) {
        final KafkaNode node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalArgumentException("no node " + nodeId + "; node ids are " + nodes.keySet());
        }
        return node;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaPeerException("interrupted while waiting for Kafka", e);
        }
    }

    /** Shutdown-hook body: takes no lock, since a test thread may hold it while the JVM exits. */
    private void destroyOnExit() {
        final List<KafkaNode> all = List.copyOf(nodes.values());
        all.forEach(KafkaNode::destroyNow);
        all.forEach(node -> node.kill(5_000));
        if (!keepDirectory) {
            deleteRecursively(directory);
        }
    }

    private static void deleteRecursively(final Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(final Path file, final IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(final Path dir, final IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    /**
     * Settings for a {@link KafkaCluster}. Defaults: one node, {@link NodeConfig#testTuning() test tuning} on,
     * {@link #DEFAULT_JVM_OPTIONS}, {@link #DEFAULT_START_TIMEOUT}, a fresh directory under {@code java.io.tmpdir},
     * libs from {@link KafkaLibs#locate()}.
     */
    public static final class Builder {
        private int nodeCount = 1;
        private final Map<String, String> brokerConfig = new LinkedHashMap<>();
        private boolean testTuning = true;
        private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Path parentDirectory;
        private Path kafkaLibs;
        private boolean keepDirectory = Boolean.getBoolean(KEEP_DIRECTORY_PROPERTY);

        private Builder() {
        }

        /** Number of combined broker+controller nodes: 1, or 3 for a quorum that survives one failure. */
        public Builder nodes(final int count) {
            if (count < 1 || count > 9) {
                throw new IllegalArgumentException("node count must be 1..9, was " + count);
            }
            this.nodeCount = count;
            return this;
        }

        /** Sets a {@code server.properties} key on every node; wins over everything the harness sets. */
        public Builder brokerConfig(final String key, final String value) {
            brokerConfig.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Turns the start-up and fail-over speed-ups on or off: no initial rebalance delay, 5 partitions for the
         * internal topics, a 4 s broker session timeout. Off gives Kafka's own defaults (benchmarks).
         */
        public Builder testTuning(final boolean enabled) {
            this.testTuning = enabled;
            return this;
        }

        /** Replaces {@link #DEFAULT_JVM_OPTIONS} for the broker JVMs. */
        public Builder jvmOptions(final List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        public Builder startTimeout(final Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("start timeout must be positive, was " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /** Creates the cluster directory inside {@code dir} instead of {@code java.io.tmpdir}. */
        public Builder parentDirectory(final Path dir) {
            this.parentDirectory = dir;
            return this;
        }

        /** Uses this directory of Kafka jars instead of {@link KafkaLibs#locate()}. */
        public Builder kafkaLibs(final Path dir) {
            this.kafkaLibs = dir;
            return this;
        }

        /** Keeps the cluster directory after close, for reading logs; default: {@value #KEEP_DIRECTORY_PROPERTY}. */
        public Builder keepDirectory(final boolean keep) {
            this.keepDirectory = keep;
            return this;
        }

        /**
         * Formats and starts every node and waits until the cluster answers describeCluster with all of them.
         *
         * @throws KafkaPeerException when a node fails or the start timeout passes; the message ends with the tail
         *     of the failing node's log. Nothing is left running and the directory is removed (unless kept).
         */
        public KafkaCluster start() {
            final KafkaCluster cluster = new KafkaCluster(this);
            try {
                cluster.startAll();
                return cluster;
            } catch (RuntimeException | Error e) {
                try {
                    cluster.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }
}

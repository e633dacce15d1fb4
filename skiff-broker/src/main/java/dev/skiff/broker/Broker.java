package dev.skiff.broker;

import dev.skiff.broker.internal.ApiHandler;
import dev.skiff.broker.internal.ApiRegistry;
import dev.skiff.broker.internal.BrokerState;
import dev.skiff.broker.internal.MetaProperties;
import dev.skiff.broker.internal.cluster.ProducerIdManager;
import dev.skiff.broker.internal.cluster.TopicConfigs;
import dev.skiff.broker.internal.cluster.Topic;
import dev.skiff.broker.internal.cluster.TopicRegistry;
import dev.skiff.broker.internal.group.ConsumerGroupConfig;
import dev.skiff.broker.internal.group.GroupConfig;
import dev.skiff.broker.internal.group.GroupCoordinator;
import dev.skiff.broker.internal.group.ThreadScheduler;
import dev.skiff.broker.internal.group.TopicCatalog;
import dev.skiff.broker.internal.handler.AlterConfigsHandler;
import dev.skiff.broker.internal.handler.ApiVersionsHandler;
import dev.skiff.broker.internal.handler.ConsumerGroupDescribeHandler;
import dev.skiff.broker.internal.handler.ConsumerGroupHeartbeatHandler;
import dev.skiff.broker.internal.handler.CreatePartitionsHandler;
import dev.skiff.broker.internal.handler.CreateTopicsHandler;
import dev.skiff.broker.internal.handler.DeleteGroupsHandler;
import dev.skiff.broker.internal.handler.DeleteTopicsHandler;
import dev.skiff.broker.internal.handler.DescribeClusterHandler;
import dev.skiff.broker.internal.handler.DescribeConfigsHandler;
import dev.skiff.broker.internal.handler.DescribeGroupsHandler;
import dev.skiff.broker.internal.handler.FetchHandler;
import dev.skiff.broker.internal.handler.IncrementalAlterConfigsHandler;
import dev.skiff.broker.internal.handler.FindCoordinatorHandler;
import dev.skiff.broker.internal.handler.HeartbeatHandler;
import dev.skiff.broker.internal.handler.InitProducerIdHandler;
import dev.skiff.broker.internal.handler.JoinGroupHandler;
import dev.skiff.broker.internal.handler.LeaveGroupHandler;
import dev.skiff.broker.internal.handler.ListGroupsHandler;
import dev.skiff.broker.internal.handler.ListOffsetsHandler;
import dev.skiff.broker.internal.handler.MetadataHandler;
import dev.skiff.broker.internal.handler.OffsetCommitHandler;
import dev.skiff.broker.internal.handler.OffsetDeleteHandler;
import dev.skiff.broker.internal.handler.OffsetFetchHandler;
import dev.skiff.broker.internal.handler.ProduceHandler;
import dev.skiff.broker.internal.handler.SyncGroupHandler;
import dev.skiff.broker.internal.network.NetworkServer;
import dev.skiff.storage.LogManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Skiff broker: a single-node Kafka-protocol server with its partitions on local disk.
 *
 * <p>Embed it in a test or an application:
 * <pre>{@code
 * try (Broker broker = Broker.start(BrokerConfig.builder()
 *         .logDir(tempDir)
 *         .listener("127.0.0.1", 0)
 *         .build())) {
 *     String bootstrap = broker.bootstrapServers();   // e.g. "127.0.0.1:40123"
 *     // any Kafka client works against it
 * }
 * }</pre>
 * Start-up opens the log directory (recovering it after an unclean shutdown), binds the listener and
 * returns once the port accepts connections. {@link #close()} stops accepting, closes connections,
 * flushes every log and leaves the clean-shutdown marker so the next start skips recovery.
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final BrokerConfig config;
    private final LogManager logs;
    private final NetworkServer server;
    private final ScheduledExecutorService scheduler;
    private final BrokerState state;
    private final GroupCoordinator groups;
    private volatile boolean closed;

    private Broker(BrokerConfig config, LogManager logs, NetworkServer server, ScheduledExecutorService scheduler,
                   BrokerState state, GroupCoordinator groups) {
        this.config = config;
        this.logs = logs;
        this.server = server;
        this.scheduler = scheduler;
        this.state = state;
        this.groups = groups;
    }

    /**
     * Starts a broker and returns when it accepts connections.
     *
     * @throws ConfigException when the configuration cannot be used
     * @throws BrokerStartException when the log directory or the listener cannot be opened
     */
    public static Broker start(BrokerConfig config) {
        final long startNanos = System.nanoTime();
        for (String warning : config.warnings()) {
            LOG.warn(warning);
        }
        final Path logDir = config.logDir().toAbsolutePath();
        final Clock clock = Clock.systemUTC();
        final MetaProperties meta;
        final LogManager logs;
        try {
            meta = MetaProperties.loadOrCreate(logDir, config.nodeId(), config.clusterId());
            logs = LogManager.open(logDir, TopicConfigs.logConfig(config, Map.of()), clock);
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BrokerStartException("Cannot open log directory " + logDir + ": " + e.getMessage(), e);
        }
        ScheduledExecutorService scheduler = null;
        GroupCoordinator groups = null;
        try {
            final TopicRegistry topics = TopicRegistry.load(config, logs, logDir);
            final BrokerState state = new BrokerState(config, topics, new ProducerIdManager(logDir),
                    meta.clusterId(), clock);
            groups = GroupCoordinator.open(logs, GroupConfig.from(config), ConsumerGroupConfig.from(config),
                    topicCatalog(topics), new ThreadScheduler(clock));
            final AtomicReference<ApiRegistry> registry = new AtomicReference<>();
            final List<ApiHandler> handlers = new ArrayList<>(List.of(
                    new ApiVersionsHandler(registry::get),
                    new MetadataHandler(state),
                    new CreateTopicsHandler(state),
                    new DeleteTopicsHandler(state, groups::topicDeleted),
                    new CreatePartitionsHandler(state),
                    new ProduceHandler(state),
                    new FetchHandler(state),
                    new ListOffsetsHandler(state),
                    new DescribeConfigsHandler(state),
                    new AlterConfigsHandler(state),
                    new IncrementalAlterConfigsHandler(state),
                    new DescribeClusterHandler(state),
                    new InitProducerIdHandler(state),
                    new FindCoordinatorHandler(state),
                    new JoinGroupHandler(groups),
                    new SyncGroupHandler(groups),
                    new HeartbeatHandler(groups),
                    new LeaveGroupHandler(groups),
                    new OffsetCommitHandler(groups),
                    new OffsetFetchHandler(state, groups),
                    new ListGroupsHandler(groups),
                    new DescribeGroupsHandler(groups),
                    new DeleteGroupsHandler(groups),
                    new OffsetDeleteHandler(groups)));
            if (groups.consumerProtocolEnabled()) {
                // KIP-848 (group.protocol=consumer): advertised only when group.coordinator.rebalance.protocols
                // lists "consumer"; otherwise such clients are told the cluster does not support it.
                handlers.add(new ConsumerGroupHeartbeatHandler(groups));
                handlers.add(new ConsumerGroupDescribeHandler(groups));
            }
            registry.set(new ApiRegistry(handlers));
            final BrokerConfig.Listener listener = config.listener();
            final NetworkServer server = NetworkServer.bind(listener.host(), listener.port(),
                    config.numNetworkThreads(), config.socketRequestMaxBytes(), registry.get());
            final BrokerConfig.Listener advertised = config.advertisedListener();
            final InetSocketAddress bound = server.localAddress();
            if (advertised != null) {
                state.advertise(advertised.host(), advertised.port());
            } else {
                final String host = listener.host().isEmpty() || listener.host().equals("0.0.0.0")
                        ? "127.0.0.1" : listener.host();
                state.advertise(host, bound.getPort());
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                final Thread t = new Thread(r, "skiff-retention");
                t.setDaemon(true);
                return t;
            });
            final long interval = config.retentionCheckIntervalMs();
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    final int deleted = logs.runRetention();
                    if (deleted > 0) {
                        LOG.info("Retention deleted {} segment(s)", deleted);
                    }
                } catch (RuntimeException e) {
                    LOG.error("Retention run failed", e);
                }
            }, interval, interval, TimeUnit.MILLISECONDS);
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    logs.expireProducers();
                } catch (RuntimeException e) {
                    LOG.error("Producer state expiry failed", e);
                }
            }, 60, 60, TimeUnit.SECONDS);
            final Broker broker = new Broker(config, logs, server, scheduler, state, groups);
            LOG.info("Skiff broker {} started in {} ms, listening on {}:{} (cluster {}, data in {})",
                    config.nodeId(), (System.nanoTime() - startNanos) / 1_000_000, state.advertisedHost(),
                    state.advertisedPort(), meta.clusterId(), logDir);
            return broker;
        } catch (RuntimeException e) {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
            if (groups != null) {
                groups.close();
            }
            logs.close();
            if (e instanceof BrokerStartException || e instanceof ConfigException) {
                throw e;
            }
            throw new BrokerStartException("Broker failed to start: " + e.getMessage(), e);
        }
    }

    /** The coordinator's view of the broker's topics. */
    private static TopicCatalog topicCatalog(TopicRegistry topics) {
        return new TopicCatalog() {
            @Override
            public int partitionCount(String topic) {
                final Topic t = topics.topic(topic);
                return t == null ? -1 : t.partitions().size();
            }

            @Override
            public UUID topicId(String topic) {
                final Topic t = topics.topic(topic);
                return t == null ? null : t.id();
            }

            @Override
            public String topicName(UUID id) {
                final Topic t = topics.topic(id);
                return t == null ? null : t.name();
            }
        };
    }

    /** {@code host:port} for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return state.advertisedHost() + ":" + state.advertisedPort();
    }

    /** The bound port (useful when the listener asked for port 0). */
    public int port() {
        return server.localAddress().getPort();
    }

    /** The directory holding the partition logs. */
    public Path logDir() {
        return config.logDir().toAbsolutePath();
    }

    /** The cluster id clients see. */
    public String clusterId() {
        return state.clusterId();
    }

    public BrokerConfig config() {
        return config;
    }

    /** Stops the listener, closes connections, flushes and closes every log. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        server.close();
        groups.close();
        logs.close();
        LOG.info("Skiff broker {} stopped", config.nodeId());
    }
}

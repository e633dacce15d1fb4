package dev.skiff.cli;

import dev.skiff.broker.Broker;
import dev.skiff.broker.BrokerConfig;
import dev.skiff.broker.BrokerStartException;
import dev.skiff.broker.ConfigException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code skiff broker}: runs the broker in the foreground until Ctrl-C (or SIGTERM), then shuts down
 * cleanly so the next start skips log recovery.
 */
@Command(name = "broker",
        mixinStandardHelpOptions = true,
        description = {"Run a Skiff broker in the foreground (Ctrl-C stops it cleanly).",
                "With no options it serves PLAINTEXT://127.0.0.1:9092 with data in ./skiff-data."})
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "A server.properties file with Kafka's key names.")
    private Path configFile;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Set one configuration key, overriding the file (repeatable), e.g. --set num.partitions=6")
    private List<String> overrides = List.of();

    /** Completed once the broker is up; tests use it. */
    final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Broker broker;

    @Override
    public Integer call() {
        // INFO for the server even when a client command ran earlier in this JVM (tests) and quietened logging.
        dev.skiff.cli.internal.LogConfigurator.server();
        final Map<String, String> props = new LinkedHashMap<>();
        try {
            if (configFile != null) {
                props.putAll(BrokerConfig.readPropertiesFile(configFile));
            }
            for (String kv : overrides) {
                final int eq = kv.indexOf('=');
                if (eq <= 0) {
                    spec.commandLine().getErr().println("skiff broker: --set expects KEY=VALUE, got '" + kv + "'");
                    return 2;
                }
                props.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
            final BrokerConfig config = BrokerConfig.fromProperties(props);
            broker = Broker.start(config);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("skiff broker: " + e.getMessage());
            return 2;
        } catch (BrokerStartException e) {
            spec.commandLine().getErr().println("skiff broker: " + e.getMessage());
            return 1;
        }
        final Broker running = broker;
        final Thread hook = new Thread(this::stop, "skiff-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().println("Skiff broker listening on " + running.bootstrapServers()
                + " (data in " + running.logDir() + "). Press Ctrl-C to stop.");
        spec.commandLine().getOut().flush();
        started.countDown();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is what stopped us
        }
        return 0;
    }

    /** Stops a broker started by {@link #call()} in this process (tests). */
    void stop() {
        final Broker b = broker;
        if (b != null) {
            b.close();
        }
        stopped.countDown();
    }
}

package dev.skiff.cli.internal;

import picocli.CommandLine.Option;

/** The {@code --bootstrap-server} option every client subcommand shares (a picocli mixin). */
public final class BootstrapOption {
    /** Where a client command connects when not told otherwise: {@code skiff broker}'s default listener. */
    public static final String DEFAULT = "127.0.0.1:9092";

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT", defaultValue = DEFAULT,
            description = "Broker(s) to connect to, comma-separated (default: ${DEFAULT-VALUE}); Skiff or Apache Kafka.")
    private String bootstrapServer = DEFAULT;

    /** The servers as given. */
    public String get() {
        return bootstrapServer;
    }

    /** One line when no server answers within {@code timeoutMs}, else null (see {@link Reachability}). */
    public String unreachable(int timeoutMs) {
        return Reachability.check(bootstrapServer, timeoutMs);
    }
}

package dev.skiff.kafkapeer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Command line for starting an Apache Kafka peer by hand, e.g. to point a Skiff producer at real Kafka:
 * <pre>
 *   java -cp 'kafka-peer/target/classes:kafka-peer/target/kafka-libs/*' dev.skiff.kafkapeer.KafkaPeerMain \
 *       [--nodes 1|3] [--dir PARENT] [--stock] [--set key=value]...
 * </pre>
 * Prints {@code bootstrap.servers=...} and one line per node, then runs until interrupted (Ctrl-C, SIGTERM), when
 * the cluster's shutdown hook kills the nodes and removes their directory. {@code --stock} turns the test tuning
 * off so the nodes run with Kafka's own defaults.
 */
public final class KafkaPeerMain {
    private KafkaPeerMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final KafkaCluster.Builder builder;
        try {
            builder = parse(Arrays.asList(args).iterator());
        } catch (IllegalArgumentException e) {
            usage(System.err, e.getMessage());
            System.exit(2);
            return;
        }
        if (builder == null) {
            usage(System.out, null);
            return;
        }
        final KafkaCluster cluster = builder.start();
        System.out.println("bootstrap.servers=" + cluster.bootstrapServers());
        for (final int id : cluster.nodeIds()) {
            System.out.println("node " + id + " address=" + cluster.bootstrapServer(id) + " pid=" + cluster.pid(id)
                    + " log=" + cluster.logFile(id));
        }
        System.out.flush();
        // Runs until the JVM is told to exit; the cluster's shutdown hook then cleans up.
        Thread.currentThread().join();
    }

    /** Returns the configured builder, or null when help was asked for. */
    static KafkaCluster.Builder parse(final Iterator<String> args) {
        final KafkaCluster.Builder builder = KafkaCluster.builder();
        while (args.hasNext()) {
            final String arg = args.next();
            switch (arg) {
                case "--nodes":
                    builder.nodes(parseInt(arg, value(arg, args)));
                    break;
                case "--dir":
                    builder.parentDirectory(Path.of(value(arg, args)));
                    break;
                case "--stock":
                    builder.testTuning(false);
                    break;
                case "--set":
                    final String pair = value(arg, args);
                    final int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--set expects key=value, got '" + pair + "'");
                    }
                    builder.brokerConfig(pair.substring(0, eq), pair.substring(eq + 1));
                    break;
                case "-h":
                case "--help":
                    return null;
                default:
                    throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        return builder;
    }

    private static String value(final String option, final Iterator<String> args) {
        if (!args.hasNext()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.next();
    }

    private static int parseInt(final String option, final String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects a number, got '" + value + "'");
        }
    }

    private static void usage(final PrintStream out, final String error) {
        if (error != null) {
            out.println("error: " + error);
        }
        out.println("usage: KafkaPeerMain [--nodes N] [--dir PARENT] [--stock] [--set key=value]...");
    }
}

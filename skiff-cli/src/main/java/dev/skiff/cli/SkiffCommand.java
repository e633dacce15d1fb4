package dev.skiff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code skiff} command: entry point of the runnable jar and of {@code ./skiff}.
 *
 * <p>Subcommands are {@code Callable<Integer>}: their return value is the process exit code, so tests
 * can run them in-process and assert on it.
 */
@Command(name = "skiff",
        mixinStandardHelpOptions = true,
        versionProvider = SkiffCommand.Version.class,
        description = "Kafka's production flow on one machine: a Kafka-protocol broker and its tools.",
        subcommands = {DemoCommand.class, BrokerCommand.class, TopicCommand.class, ProduceCommand.class, ConsumeCommand.class, PerfCommand.class, CommandLine.HelpCommand.class})
public final class SkiffCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        final CommandLine cmd = new CommandLine(new SkiffCommand());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    /** Prints the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String v = SkiffCommand.class.getPackage().getImplementationVersion();
            return new String[] {"skiff " + (v == null ? "development build" : v)};
        }
    }
}

package dev.skiff.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code skiff} command: entry point of the runnable jar and of {@code ./skiff}.
 *
 * <p>Subcommands are {@code Callable<Integer>}: their return value is the process exit code, so tests
 * can run them in-process and assert on it.
 *
 * <p>Subcommands are registered in code rather than in the annotation: picocli builds the model of
 * every registered command by reflection, which costs about a hundred milliseconds for all of them,
 * so {@link #main} registers only the one being run (the broker's start-up time is part of what
 * Skiff promises). Help and unknown commands still see the full list.
 */
@Command(name = "skiff",
        mixinStandardHelpOptions = true,
        versionProvider = SkiffCommand.Version.class,
        description = "Kafka's production flow on one machine: a Kafka-protocol broker and its tools.")
public final class SkiffCommand {

    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("demo", DemoCommand::new);
        SUBCOMMANDS.put("broker", BrokerCommand::new);
        SUBCOMMANDS.put("topic", TopicCommand::new);
        SUBCOMMANDS.put("produce", ProduceCommand::new);
        SUBCOMMANDS.put("consume", ConsumeCommand::new);
        SUBCOMMANDS.put("perf", PerfCommand::new);
        SUBCOMMANDS.put("group", GroupCommand::new);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    public static void main(String[] args) {
        System.exit(commandLineFor(args).execute(args));
    }

    /** The configured command line with every subcommand, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        final CommandLine cmd = new CommandLine(new SkiffCommand());
        SUBCOMMANDS.forEach((name, factory) -> cmd.addSubcommand(name, factory.get()));
        return configure(cmd);
    }

    /** A command line with only the subcommand {@code args} name, or all of them when it names none. */
    static CommandLine commandLineFor(String[] args) {
        if (args.length == 0 || !SUBCOMMANDS.containsKey(args[0]) || args[0].equals("help")) {
            return commandLine();
        }
        final CommandLine cmd = new CommandLine(new SkiffCommand());
        cmd.addSubcommand(args[0], SUBCOMMANDS.get(args[0]).get());
        return configure(cmd);
    }

    /** Settings that picocli applies only to the subcommands present when they are set. */
    private static CommandLine configure(CommandLine cmd) {
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

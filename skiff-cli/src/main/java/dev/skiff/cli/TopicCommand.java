package dev.skiff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code skiff topic}: the parent of create, list, describe, delete and alter. */
@Command(name = "topic",
        mixinStandardHelpOptions = true,
        description = "Create, list, describe, alter and delete topics (like kafka-topics.sh).",
        subcommands = {TopicCreateCommand.class, TopicListCommand.class, TopicDescribeCommand.class,
                TopicAlterCommand.class, TopicDeleteCommand.class})
public final class TopicCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    /** Without a subcommand, say which ones exist (exit 2: a subcommand is required). */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand: one of create, list, describe, alter, delete");
    }
}

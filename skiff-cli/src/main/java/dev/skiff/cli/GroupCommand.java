package dev.skiff.cli;

import dev.skiff.cli.internal.AdminRunner;
import dev.skiff.cli.internal.BootstrapOption;
import dev.skiff.client.admin.GroupAdmin;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code skiff group}: the parent of list, describe, reset-offsets and delete (like kafka-consumer-groups.sh). */
@Command(name = "group",
        mixinStandardHelpOptions = true,
        description = "List, describe (with lag per partition), reset offsets of and delete consumer groups.",
        subcommands = {GroupListCommand.class, GroupDescribeCommand.class, GroupResetOffsetsCommand.class,
                GroupDeleteCommand.class})
public final class GroupCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    /** Without a subcommand, say which ones exist (exit 2: a subcommand is required). */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand: one of list, describe, reset-offsets, delete");
    }

    /** Runs a {@code skiff group ...} action with a group admin: see {@link AdminRunner}. */
    static int run(CommandSpec spec, BootstrapOption bootstrap, AdminRunner.Action<GroupAdmin> action) {
        return AdminRunner.run(spec, bootstrap, GroupAdmin::create, action);
    }
}

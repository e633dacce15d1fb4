package dev.skiff.cli;

import dev.skiff.cli.internal.BootstrapOption;
import dev.skiff.cli.internal.Failures;
import dev.skiff.cli.internal.LogConfigurator;
import dev.skiff.client.admin.AdminException;
import dev.skiff.client.admin.GroupAdmin;
import dev.skiff.client.producer.ConfigException;

import java.io.PrintWriter;

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

    /** An action given an open group admin; returns the exit code. */
    @FunctionalInterface
    interface Action {
        int run(GroupAdmin groups, PrintWriter out) throws Exception;
    }

    /** Without a subcommand, say which ones exist (exit 2: a subcommand is required). */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand: one of list, describe, reset-offsets, delete");
    }

    /**
     * Runs a {@code skiff group ...} action: quiet logging, a reachability check, failures as one line.
     * Exit 0 or what the action returns, 1 when the broker is unreachable or refuses, 2 for bad settings.
     */
    static int run(CommandSpec spec, BootstrapOption bootstrap, Action action) {
        LogConfigurator.quiet();
        final PrintWriter err = spec.commandLine().getErr();
        final String name = spec.qualifiedName(" ");
        final String unreachable = bootstrap.unreachable(3000);
        if (unreachable != null) {
            err.println(name + ": " + unreachable);
            return 1;
        }
        try (GroupAdmin groups = GroupAdmin.create(bootstrap.get())) {
            final int code = action.run(groups, spec.commandLine().getOut());
            spec.commandLine().getOut().flush();
            return code;
        } catch (ConfigException e) {
            err.println(name + ": " + e.getMessage());
            return 2;
        } catch (AdminException e) {
            err.println(name + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println(name + ": " + Failures.message(e));
            return 1;
        }
    }
}

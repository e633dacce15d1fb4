package dev.skiff.cli;

import dev.skiff.cli.internal.BootstrapOption;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code skiff group delete}: removes an empty group and its committed offsets. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete a consumer group without members, with its committed offsets.")
public final class GroupDeleteCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private BootstrapOption bootstrap;

    @Option(names = {"-g", "--group"}, required = true, description = "Group id.")
    String group;

    @Override
    public Integer call() {
        return GroupCommand.run(spec, bootstrap, (groups, out) -> {
            groups.deleteGroup(group);
            out.println("Deleted group " + group + ".");
            return 0;
        });
    }
}

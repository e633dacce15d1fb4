package dev.skiff.cli;

import dev.skiff.cli.internal.BootstrapOption;
import dev.skiff.client.admin.GroupAdmin;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code skiff group list}: group ids, one per line, sorted; {@code --state} adds type and state. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List consumer groups.")
public final class GroupListCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private BootstrapOption bootstrap;

    @Option(names = "--state", description = "Also show each group's protocol type and state.")
    boolean state;

    @Override
    public Integer call() {
        return GroupCommand.run(spec, bootstrap, (groups, out) -> {
            for (GroupAdmin.Listing g : groups.listGroups()) {
                out.println(state ? String.format("%-30s %-10s %s", g.groupId(), g.protocolType(), g.state())
                        : g.groupId());
            }
            return 0;
        });
    }
}

package dev.skiff.cli;

import dev.skiff.cli.internal.AdminRunner;
import dev.skiff.cli.internal.BootstrapOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code skiff topic list}: topic names, one per line, sorted, internal topics left out. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List topic names.")
public final class TopicListCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private BootstrapOption bootstrap;

    @Override
    public Integer call() {
        return AdminRunner.run(spec, bootstrap, (admin, out) -> {
            admin.listTopics().forEach(out::println);
            return 0;
        });
    }
}

package dev.skiff.cli;

import dev.skiff.cli.internal.AdminRunner;
import dev.skiff.cli.internal.BootstrapOption;
import dev.skiff.client.admin.AdminException;
import dev.skiff.protocol.Errors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code skiff topic delete}: removes a topic and its data. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a topic and its data.")
public final class TopicDeleteCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private BootstrapOption bootstrap;

    @Option(names = {"-t", "--topic"}, required = true, description = "Topic name.")
    String topic;

    @Option(names = "--if-exists", description = "Succeed quietly when the topic does not exist.")
    boolean ifExists;

    @Override
    public Integer call() {
        return AdminRunner.run(spec, bootstrap, (admin, out) -> {
            try {
                admin.deleteTopic(topic);
            } catch (AdminException e) {
                if (ifExists && e.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                    return 0;
                }
                throw e;
            }
            out.println("Deleted topic " + topic + ".");
            return 0;
        });
    }
}

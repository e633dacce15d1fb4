package dev.skiff.cli;

import dev.skiff.cli.internal.AdminRunner;
import dev.skiff.cli.internal.BootstrapOption;
import dev.skiff.client.admin.AdminException;
import dev.skiff.protocol.Errors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code skiff topic create}: a topic with a partition count and configuration overrides. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
public final class TopicCreateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private BootstrapOption bootstrap;

    @Option(names = {"-t", "--topic"}, required = true, description = "Topic name.")
    String topic;

    @Option(names = {"-p", "--partitions"}, defaultValue = "-1", paramLabel = "N",
            description = "Partition count (default: the broker's num.partitions).")
    int partitions;

    @Option(names = {"-r", "--replication-factor"}, defaultValue = "-1", paramLabel = "N",
            description = "Copies of each partition (default: the broker's default.replication.factor).")
    short replicationFactor;

    @Option(names = {"-c", "--config"}, paramLabel = "KEY=VALUE",
            description = "A topic configuration override (repeatable), e.g. --config retention.ms=86400000")
    Map<String, String> configs = new LinkedHashMap<>();

    @Option(names = "--if-not-exists", description = "Succeed quietly when the topic already exists.")
    boolean ifNotExists;

    @Override
    public Integer call() {
        return AdminRunner.run(spec, bootstrap, (admin, out) -> {
            try {
                admin.createTopic(topic, partitions, replicationFactor, configs);
            } catch (AdminException e) {
                if (ifNotExists && e.error() == Errors.TOPIC_ALREADY_EXISTS) {
                    return 0;
                }
                throw e;
            }
            final int count = admin.describeTopic(topic).partitions().size();
            out.println("Created topic " + topic + " with " + count + " partition" + (count == 1 ? "" : "s") + ".");
            return 0;
        });
    }
}

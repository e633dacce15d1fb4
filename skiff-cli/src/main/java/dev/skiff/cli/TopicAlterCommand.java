package dev.skiff.cli;

import dev.skiff.cli.internal.AdminRunner;
import dev.skiff.cli.internal.BootstrapOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code skiff topic alter}: more partitions, and configuration keys set or removed. */
@Command(name = "alter", mixinStandardHelpOptions = true,
        description = "Add partitions to a topic or change its configuration.")
public final class TopicAlterCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private BootstrapOption bootstrap;

    @Option(names = {"-t", "--topic"}, required = true, description = "Topic name.")
    String topic;

    @Option(names = {"-p", "--partitions"}, paramLabel = "N", description = "New total partition count (only grows).")
    Integer partitions;

    @Option(names = {"-c", "--config"}, paramLabel = "KEY=VALUE", description = "Set a topic configuration (repeatable).")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = {"-d", "--delete-config"}, paramLabel = "KEY",
            description = "Remove an override so the broker default applies (repeatable).")
    Set<String> delete = new LinkedHashSet<>();

    @Override
    public Integer call() {
        if (partitions == null && set.isEmpty() && delete.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Nothing to alter: give --partitions, --config or --delete-config");
        }
        return AdminRunner.run(spec, bootstrap, (admin, out) -> {
            if (partitions != null) {
                admin.createPartitions(topic, partitions);
                out.println("Topic " + topic + " now has " + partitions + " partitions.");
            }
            if (!set.isEmpty() || !delete.isEmpty()) {
                admin.alterTopicConfigs(topic, set, delete);
                out.println("Updated configuration of topic " + topic + ": " + describe(set, delete) + ".");
            }
            return 0;
        });
    }

    private static String describe(Map<String, String> set, Set<String> delete) {
        final StringBuilder sb = new StringBuilder();
        set.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        delete.forEach(k -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" removed"));
        return sb.toString();
    }
}

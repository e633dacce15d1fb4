package dev.skiff.cli;

import dev.skiff.cli.internal.AdminRunner;
import dev.skiff.cli.internal.BootstrapOption;
import dev.skiff.client.admin.ConfigValue;
import dev.skiff.client.admin.PartitionInfo;
import dev.skiff.client.admin.TopicDescription;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code skiff topic describe}: kafka-topics' layout (a topic line, then one line per partition) plus each
 * partition's start and end offsets.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Describe topics: partitions, leaders, offsets and configuration overrides.")
public final class TopicDescribeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private BootstrapOption bootstrap;

    @Option(names = {"-t", "--topic"}, description = "Topic name (default: every topic).")
    String topic;

    @Option(names = "--all-configs", description = "Show every configuration key, not only overrides.")
    boolean allConfigs;

    @Override
    public Integer call() {
        return AdminRunner.run(spec, bootstrap, (admin, out) -> {
            final List<String> names = topic != null ? List.of(topic) : admin.listTopics();
            for (String name : names) {
                print(out, admin.describeTopic(name));
            }
            return 0;
        });
    }

    private void print(PrintWriter out, TopicDescription d) {
        final int rf = d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
        final StringJoiner configs = new StringJoiner(",");
        for (Map.Entry<String, ConfigValue> e : d.configs().entrySet()) {
            if (allConfigs || !e.getValue().isDefault()) {
                configs.add(e.getKey() + "=" + e.getValue().value());
            }
        }
        out.println("Topic: " + d.name() + "\tTopicId: " + (d.topicId() == null ? "-" : d.topicId())
                + "\tPartitionCount: " + d.partitions().size() + "\tReplicationFactor: " + rf
                + "\tConfigs: " + configs);
        for (PartitionInfo p : d.partitions()) {
            out.println("\tTopic: " + d.name() + "\tPartition: " + p.partition() + "\tLeader: "
                    + (p.leader() < 0 ? "none" : Integer.toString(p.leader())) + "\tReplicas: " + ids(p.replicas())
                    + "\tIsr: " + ids(p.isr()) + "\tStartOffset: " + p.startOffset() + "\tEndOffset: " + p.endOffset());
        }
    }

    private static String ids(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}

package dev.skiff.cli;

import dev.skiff.cli.internal.BootstrapOption;
import dev.skiff.client.TopicPartition;
import dev.skiff.client.admin.GroupAdmin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code skiff group reset-offsets}: moves a stopped group's committed offsets of one topic to the start, the
 * end or a given offset. Like kafka-consumer-groups, it only shows the plan unless told {@code --execute}.
 */
@Command(name = "reset-offsets", mixinStandardHelpOptions = true,
        description = "Reset a group's committed offsets for a topic (the group must have no members). "
                + "Prints the plan; --execute applies it.")
public final class GroupResetOffsetsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private BootstrapOption bootstrap;

    @Option(names = {"-g", "--group"}, required = true, description = "Group id.")
    String group;

    @Option(names = {"-t", "--topic"}, required = true, description = "Topic whose offsets to reset.")
    String topic;

    /** Where to move; exactly one. */
    static final class Target {
        @Option(names = "--to-earliest", description = "To the first offset of each partition.")
        boolean earliest;

        @Option(names = "--to-latest", description = "To the end of each partition (skip everything).")
        boolean latest;

        @Option(names = "--to-offset", paramLabel = "N", description = "To offset N, kept within each partition.")
        Long offset;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--execute", description = "Commit the new offsets (without it, only print them).")
    boolean execute;

    @Override
    public Integer call() {
        return GroupCommand.run(spec, bootstrap, (groups, out) -> {
            final List<TopicPartition> tps = groups.partitionsOf(topic);
            final Map<TopicPartition, Long> begin = groups.beginningOffsets(tps);
            final Map<TopicPartition, Long> end = groups.endOffsets(tps);
            final Map<TopicPartition, Long> plan = new LinkedHashMap<>();
            for (TopicPartition tp : tps) {
                final long offset = target.earliest ? begin.get(tp) : target.latest ? end.get(tp)
                        : Math.max(begin.get(tp), Math.min(end.get(tp), target.offset));
                plan.put(tp, offset);
            }
            if (execute) {
                groups.commitOffsets(group, plan);
            }
            out.printf("%-24s %-9s %s%n", "TOPIC", "PARTITION", "NEW-OFFSET");
            plan.forEach((tp, offset) -> out.printf("%-24s %-9d %d%n", tp.topic(), tp.partition(), offset));
            if (!execute) {
                out.println("(dry run: add --execute to commit these offsets)");
            }
            return 0;
        });
    }
}

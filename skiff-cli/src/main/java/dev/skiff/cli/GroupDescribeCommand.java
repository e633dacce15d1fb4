package dev.skiff.cli;

import dev.skiff.cli.internal.BootstrapOption;
import dev.skiff.client.TopicPartition;
import dev.skiff.client.admin.GroupAdmin;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code skiff group describe}: kafka-consumer-groups' layout: a group line, then one line per partition the
 * group owns or has committed, with its committed offset, end offset, lag and owner, then the members.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Describe a consumer group: state, members, and per partition the committed offset, "
                + "end offset and lag.")
public final class GroupDescribeCommand implements Callable<Integer> {
    private static final String ROW = "%-24s %-9s %-14s %-14s %-8s %s%n";

    @Spec
    private CommandSpec spec;

    @Mixin
    private BootstrapOption bootstrap;

    @Option(names = {"-g", "--group"}, required = true, description = "Group id.")
    String group;

    @Override
    public Integer call() {
        return GroupCommand.run(spec, bootstrap, (groups, out) -> {
            final GroupAdmin.Description d = groups.describeGroup(group);
            final Map<TopicPartition, Long> committed = groups.committedOffsets(group);
            final Map<TopicPartition, String> owners = new TreeMap<>(order());
            for (GroupAdmin.Member m : d.members()) {
                m.assignment().forEach(tp -> owners.put(tp, m.memberId()));
            }
            final Map<TopicPartition, Long> rows = new TreeMap<>(order());
            rows.putAll(committed);
            owners.keySet().forEach(tp -> rows.putIfAbsent(tp, -1L));
            final Map<TopicPartition, Long> ends = groups.endOffsets(rows.keySet());
            out.println("Group: " + d.groupId() + "\tState: " + d.state() + "\tProtocol: " + d.protocolType()
                    + (d.protocol() == null || d.protocol().isEmpty() ? "" : "/" + d.protocol())
                    + "\tMembers: " + d.members().size());
            printPartitions(out, rows, ends, owners);
            if (!d.members().isEmpty()) {
                out.printf("%n%-50s %-24s %-16s %s%n", "MEMBER-ID", "CLIENT-ID", "HOST", "PARTITIONS");
                for (GroupAdmin.Member m : d.members()) {
                    out.printf("%-50s %-24s %-16s %d%n", m.memberId(), m.clientId(), m.host(), m.assignment().size());
                }
            }
            return 0;
        });
    }

    private static void printPartitions(PrintWriter out, Map<TopicPartition, Long> rows, Map<TopicPartition, Long> ends,
                                        Map<TopicPartition, String> owners) {
        out.printf("%n" + ROW, "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "MEMBER-ID");
        rows.forEach((tp, offset) -> {
            final long end = ends.getOrDefault(tp, -1L);
            final String lag = offset >= 0 && end >= 0 ? Long.toString(Math.max(0, end - offset)) : "-";
            out.printf(ROW, tp.topic(), tp.partition(), offset >= 0 ? offset : "-", end >= 0 ? end : "-", lag,
                    owners.getOrDefault(tp, "-"));
        });
    }

    private static Comparator<TopicPartition> order() {
        return Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);
    }
}

package dev.skiff.broker.internal.group;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The "range" server assignor: per topic, the subscribed members sorted by member id get contiguous ranges
 * of partitions, the first {@code partitions % members} of them one more than the others. Members
 * subscribing to the same co-partitioned topics therefore get the same partition numbers of each.
 * Kafka's range assignor also keeps partitions with their previous owner when the counts allow; this one
 * is plain range, so a membership change may move more partitions than Kafka's would.
 */
final class RangeAssignor implements ServerAssignor {
    static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Map<UUID, Set<Integer>>> assign(Map<String, Set<String>> subscriptions,
                                                      Map<String, Topic> topics,
                                                      Map<String, Map<UUID, Set<Integer>>> previous) {
        final Map<String, Map<UUID, Set<Integer>>> result = new LinkedHashMap<>();
        subscriptions.keySet().forEach(m -> result.put(m, Assignments.empty()));
        for (Topic t : topics.values()) {
            final List<String> members = new ArrayList<>();
            subscriptions.forEach((member, subscribed) -> {
                if (subscribed.contains(t.name())) {
                    members.add(member);
                }
            });
            if (members.isEmpty()) {
                continue;
            }
            members.sort(null);
            final int per = t.partitions() / members.size();
            final int extra = t.partitions() % members.size();
            int next = 0;
            for (int i = 0; i < members.size(); i++) {
                final int count = per + (i < extra ? 1 : 0);
                for (int p = next; p < next + count; p++) {
                    Assignments.add(result.get(members.get(i)), t.id(), p);
                }
                next += count;
            }
        }
        return result;
    }
}

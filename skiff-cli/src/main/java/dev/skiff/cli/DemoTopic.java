package dev.skiff.cli;

import dev.skiff.client.admin.AdminException;
import dev.skiff.client.admin.PartitionInfo;
import dev.skiff.client.admin.SkiffAdmin;
import dev.skiff.client.admin.TopicDescription;
import dev.skiff.protocol.Errors;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's topic: created before sending, or reused when it exists (a kept {@code --data} directory or a
 * real cluster), in which case the check starts from the offsets it already had.
 */
final class DemoTopic {
    private DemoTopic() {
    }

    /**
     * @param describe     one line for the demo's output
     * @param startOffsets end offset of each partition before sending
     */
    record Layout(String describe, Map<Integer, Long> startOffsets) {
    }

    static Layout prepare(String bootstrap, String topic, int partitions) {
        try (SkiffAdmin admin = SkiffAdmin.create(bootstrap)) {
            final long t0 = System.nanoTime();
            try {
                admin.createTopic(topic, partitions, Map.of());
                final Map<Integer, Long> zeros = new TreeMap<>();
                for (int p = 0; p < partitions; p++) {
                    zeros.put(p, 0L);
                }
                return new Layout("created '" + topic + "' with " + partitions + " partitions in "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms", zeros);
            } catch (AdminException e) {
                if (e.error() != Errors.TOPIC_ALREADY_EXISTS) {
                    throw e;
                }
            }
            final TopicDescription existing = admin.describeTopic(topic);
            final Map<Integer, Long> ends = new TreeMap<>();
            long records = 0;
            for (PartitionInfo p : existing.partitions()) {
                ends.put(p.partition(), p.endOffset());
                records += Math.max(0, p.endOffset() - Math.max(0, p.startOffset()));
            }
            return new Layout("'" + topic + "' exists with " + ends.size() + " partitions and " + records
                    + " records; new records are checked from its current end offsets", ends);
        }
    }
}

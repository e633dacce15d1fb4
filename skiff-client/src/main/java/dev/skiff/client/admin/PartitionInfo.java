package dev.skiff.client.admin;

import java.util.List;

/**
 * One partition of a described topic.
 *
 * @param partition   the partition index
 * @param leader      the leader's node id, -1 when it has none
 * @param replicas    node ids of the replicas
 * @param isr         node ids of the in-sync replicas
 * @param startOffset the log start offset, -1 when the leader did not answer
 * @param endOffset   the log end offset (high watermark), -1 when the leader did not answer
 */
public record PartitionInfo(int partition, int leader, List<Integer> replicas, List<Integer> isr,
                            long startOffset, long endOffset) {
}

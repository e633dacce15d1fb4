package dev.skiff.client.admin;

import java.util.List;

/**
 * The cluster as a broker describes it.
 *
 * @param clusterId    the cluster id, or null when the broker has none
 * @param controllerId the controller's node id (-1 when unknown)
 * @param nodes        the brokers, by id
 */
public record ClusterDescription(String clusterId, int controllerId, List<NodeInfo> nodes) {
}

package dev.skiff.client.admin;

/**
 * A broker of the cluster.
 *
 * @param id   the node id
 * @param host the advertised host
 * @param port the advertised port
 */
public record NodeInfo(int id, String host, int port) {
}

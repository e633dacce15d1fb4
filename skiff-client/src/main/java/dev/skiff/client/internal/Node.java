package dev.skiff.client.internal;

/**
 * A broker address. Brokers named in metadata have their node id; bootstrap addresses, known before
 * any metadata, get negative ids (-1, -2, ...).
 */
public record Node(int id, String host, int port) {
    /** {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    public boolean isBootstrap() {
        return id < 0;
    }

    @Override
    public String toString() {
        return (isBootstrap() ? "bootstrap " : "node " + id + " ") + address();
    }
}

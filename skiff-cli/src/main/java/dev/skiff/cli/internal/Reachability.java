package dev.skiff.cli.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A quick TCP check of the bootstrap servers before a command starts a client.
 *
 * <p>Why: Kafka clients, ours included, retry an unreachable bootstrap server until a delivery or request
 * timeout (minutes by default) and never say so. A command line user wants one clear line within seconds
 * instead. Reaching the port is all this proves; protocol errors are reported by the client later.
 */
public final class Reachability {
    private Reachability() {
    }

    /**
     * Connects to each {@code host:port} in the comma-separated list until one answers.
     *
     * @return null when one is reachable, else one line saying which addresses failed and why
     */
    public static String check(String bootstrapServers, int timeoutMs) {
        final List<String> failures = new ArrayList<>();
        for (String raw : bootstrapServers.split(",")) {
            final String address = raw.trim();
            if (address.isEmpty()) {
                continue;
            }
            final int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                return "invalid bootstrap server '" + address + "': expected HOST:PORT, e.g. 127.0.0.1:9092";
            }
            final String host = address.startsWith("[") ? address.substring(1, colon - 1) : address.substring(0, colon);
            final int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                return "invalid port in bootstrap server '" + address + "': expected HOST:PORT, e.g. 127.0.0.1:9092";
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), timeoutMs);
                return null;
            } catch (IOException e) {
                failures.add(address + " (" + describe(e) + ")");
            }
        }
        if (failures.isEmpty()) {
            return "no bootstrap server given: use --bootstrap-server HOST:PORT";
        }
        return "cannot reach a broker at " + String.join(", ", failures)
                + "; is one running? (start one with: skiff broker)";
    }

    private static String describe(IOException e) {
        final String message = e.getMessage();
        if (e instanceof java.net.SocketTimeoutException) {
            return "no answer";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        return message == null ? e.getClass().getSimpleName() : message.toLowerCase(java.util.Locale.ROOT);
    }
}

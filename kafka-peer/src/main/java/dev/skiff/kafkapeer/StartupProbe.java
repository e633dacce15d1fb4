package dev.skiff.kafkapeer;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Measures how long a freshly launched Kafka-protocol broker takes to accept TCP connections and to answer its
 * first request, for {@code bench/broker-bench.sh}; the same probe times Apache Kafka and Skiff.
 *
 * <p>Why two numbers: a broker may bind its port long before it serves requests (Kafka binds early, then catches up
 * on metadata and unfences first), so "port accepting" alone can flatter it. "Ready" is the first ApiVersions
 * response. Times are wall-clock milliseconds since {@code since}, the moment the caller launched the broker, so
 * the probe's own JVM start-up overlaps the broker's and costs nothing.
 *
 * <p>The request is ApiVersions v3 (request header v2), written by hand so the probe needs no Kafka jar:
 * <pre>
 *   0        4        6        8           12        14                  n     n+1
 *   +--------+--------+--------+-----------+---------+-------------------+-----+
 *   | length | key=18 | ver=3  | corr id=1 | id len  | client id bytes   | tag | header v2
 *   | int32  | int16  | int16  | int32     | int16   | UTF-8             | 0   |
 *   +--------+--------+--------+-----------+---------+-------------------+-----+
 *   | sw name: uvarint(len+1), bytes | sw version: uvarint(len+1), bytes | 0   | body v3, compact strings
 *   +--------------------------------+-----------------------------------+-----+
 *   length counts every byte after itself; "tag" is an empty tagged-field section (uvarint 0).
 * </pre>
 * Any complete response frame whose correlation id matches counts as ready, even an error answer: the broker is
 * serving requests.
 */
public final class StartupProbe {
    private static final short API_VERSIONS_KEY = 18;
    private static final short API_VERSIONS_VERSION = 3;
    private static final int CORRELATION_ID = 1;
    private static final String CLIENT = "skiff-bench-probe";
    private static final String CLIENT_VERSION = "1";
    private static final int CONNECT_TIMEOUT_MS = 200;
    private static final long RETRY_PAUSE_MS = 5;
    private static final int MAX_RESPONSE_BYTES = 1 << 20;

    private StartupProbe() {
    }

    /** Milliseconds from launch to the first accepted connection and to the first response. */
    public record Result(long acceptMillis, long readyMillis) {
    }

    /**
     * Polls {@code host:port} until it answers ApiVersions.
     *
     * @param since wall-clock epoch millis the broker was launched at; results are relative to it
     * @param alive false once the broker process is gone, to stop early
     * @throws KafkaPeerException on timeout or when the broker dies first
     */
    public static Result await(final String host, final int port, final long since, final Duration timeout,
            final BooleanSupplier alive) {
        return await(host, port, since, timeout, alive, System::currentTimeMillis);
    }

    static Result await(final String host, final int port, final long since, final Duration timeout,
            final BooleanSupplier alive, final LongSupplier clock) {
        final long deadline = clock.getAsLong() + timeout.toMillis();
        final byte[] request = apiVersionsRequest();
        long accepted = -1;
        String lastProblem = "no connection accepted";
        while (clock.getAsLong() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new KafkaPeerException("the broker process exited before answering on " + host + ":" + port);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                if (accepted < 0) {
                    accepted = clock.getAsLong() - since;
                }
                final OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                // Wait as long as allowed: a broker that binds early answers this very request once it serves.
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, deadline - clock.getAsLong())));
                if (readResponse(new DataInputStream(socket.getInputStream()))) {
                    return new Result(accepted, clock.getAsLong() - since);
                }
                lastProblem = "a response with the wrong correlation id";
            } catch (SocketTimeoutException e) {
                lastProblem = "no response before the timeout";
            } catch (IOException e) {
                lastProblem = e.toString();
            }
            pause();
        }
        throw new KafkaPeerException("no ApiVersions answer from " + host + ":" + port + " within "
                + timeout.toMillis() + " ms (" + lastProblem + ")");
    }

    /** Reads one size-prefixed frame; true when it answers our correlation id. */
    private static boolean readResponse(final DataInputStream in) throws IOException {
        final int length = in.readInt();
        if (length < 4 || length > MAX_RESPONSE_BYTES) {
            throw new IOException("implausible response length " + length);
        }
        final int correlationId = in.readInt();
        in.skipNBytes(length - 4L);
        return correlationId == CORRELATION_ID;
    }

    static byte[] apiVersionsRequest() {
        final byte[] client = CLIENT.getBytes(StandardCharsets.UTF_8);
        final byte[] version = CLIENT_VERSION.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer frame = ByteBuffer.allocate(64 + 2 * client.length + version.length);
        frame.putInt(0); // length, patched below
        frame.putShort(API_VERSIONS_KEY).putShort(API_VERSIONS_VERSION).putInt(CORRELATION_ID);
        frame.putShort((short) client.length).put(client);
        frame.put((byte) 0); // header tagged fields
        frame.put((byte) (client.length + 1)).put(client); // compact string; lengths here fit one varint byte
        frame.put((byte) (version.length + 1)).put(version);
        frame.put((byte) 0); // body tagged fields
        frame.putInt(0, frame.position() - 4);
        final byte[] bytes = new byte[frame.position()];
        frame.get(0, bytes);
        return bytes;
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaPeerException("interrupted while probing", e);
        }
    }

    /**
     * {@code StartupProbe HOST:PORT SINCE_EPOCH_MILLIS [PID] [TIMEOUT_MS]}: prints {@code accept_ms=A ready_ms=R}
     * and exits 0, or prints {@code error=...} and exits 1.
     */
    public static void main(final String[] args) {
        if (args.length < 2) {
            System.err.println("usage: StartupProbe HOST:PORT SINCE_EPOCH_MILLIS [PID] [TIMEOUT_MS]");
            System.exit(2);
        }
        final int colon = args[0].lastIndexOf(':');
        final String host = args[0].substring(0, colon);
        final int port = Integer.parseInt(args[0].substring(colon + 1));
        final long since = Long.parseLong(args[1]);
        final long pid = args.length > 2 ? Long.parseLong(args[2]) : -1;
        final Duration timeout = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 120_000);
        final BooleanSupplier alive = pid < 0 ? () -> true
                : () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        try {
            final Result result = await(host, port, since, timeout, alive);
            System.out.println("accept_ms=" + result.acceptMillis() + " ready_ms=" + result.readyMillis());
        } catch (KafkaPeerException e) {
            System.out.println("error=" + e.getMessage());
            System.exit(1);
        }
    }
}

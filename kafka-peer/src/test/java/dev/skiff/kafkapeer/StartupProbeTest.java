package dev.skiff.kafkapeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StartupProbeTest {

    @Test
    void requestIsAnApiVersionsV3ThatKafkaClientsParse() {
        final ByteBuffer frame = ByteBuffer.wrap(StartupProbe.apiVersionsRequest());
        assertThat(frame.getInt()).isEqualTo(frame.remaining());

        final RequestHeader header = RequestHeader.parse(frame);
        final AbstractRequest request = AbstractRequest.parseRequest(header.apiKey(), header.apiVersion(),
                new ByteBufferAccessor(frame)).request;

        assertThat(header.apiKey()).isEqualTo(ApiKeys.API_VERSIONS);
        assertThat(header.apiVersion()).isEqualTo((short) 3);
        assertThat(header.correlationId()).isEqualTo(1);
        assertThat(header.clientId()).isEqualTo("skiff-bench-probe");
        assertThat(((ApiVersionsRequest) request).isValid()).isTrue();
        assertThat(frame.hasRemaining()).isFalse();
    }

    @Test
    void answeredRequestReportsAcceptAndReadyTimesSinceLaunch() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            final CompletableFuture<Void> served = CompletableFuture.runAsync(() -> answerOnce(server));
            final long launched = System.currentTimeMillis() - 1_000;

            final StartupProbe.Result result = StartupProbe.await("127.0.0.1", server.getLocalPort(), launched,
                    Duration.ofSeconds(10), () -> true);

            served.get(10, TimeUnit.SECONDS);
            assertThat(result.acceptMillis()).isGreaterThanOrEqualTo(1_000);
            assertThat(result.readyMillis()).isGreaterThanOrEqualTo(result.acceptMillis());
        }
    }

    @Test
    void deadBrokerStopsTheProbeAtOnce() {
        assertThatThrownBy(() -> StartupProbe.await("127.0.0.1", 1, System.currentTimeMillis(),
                Duration.ofMinutes(1), () -> false))
                .isInstanceOf(KafkaPeerException.class)
                .hasMessageContaining("exited before answering");
    }

    @Test
    void silentPortTimesOutWithTheLastProblem() throws IOException {
        final int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }

        assertThatThrownBy(() -> StartupProbe.await("127.0.0.1", port, System.currentTimeMillis(),
                Duration.ofMillis(300), () -> true))
                .isInstanceOf(KafkaPeerException.class)
                .hasMessageContaining("no ApiVersions answer from 127.0.0.1:" + port)
                .hasMessageContaining("Connection refused");
    }

    /** Reads one request frame and answers it with an empty body under the same correlation id. */
    private static void answerOnce(final ServerSocket server) {
        try (Socket socket = server.accept()) {
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final byte[] request = new byte[in.readInt()];
            in.readFully(request);
            final int correlationId = ByteBuffer.wrap(request).getInt(4);
            final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(6);
            out.writeInt(correlationId);
            out.writeShort(0);
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(60)
class BrokerCommandTest {

    @Test
    void invalidValueStopsStartUpWithOneLineNamingKeyValueAndAllowedRange(@TempDir Path dir) {
        final Cli.Result r = Cli.run("broker", "--set", "log.dirs=" + dir, "--set", "num.partitions=zero");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("skiff broker: Invalid value zero for configuration num.partitions: "
                + "expected an integer in [1, 100000]");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void setWithoutEqualsIsABadArgument(@TempDir Path dir) {
        final Cli.Result r = Cli.run("broker", "--set", "log.dirs");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--set expects KEY=VALUE");
    }

    @Test
    void missingConfigFileIsNamed(@TempDir Path dir) {
        final Cli.Result r = Cli.run("broker", "--config", dir.resolve("absent.properties").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("absent.properties");
    }

    @Test
    void portInUseIsAClearErrorWithExitOne(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            final Cli.Result r = Cli.run("broker", "--set", "log.dirs=" + dir,
                    "--set", "listeners=PLAINTEXT://127.0.0.1:" + taken.getLocalPort());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("Cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void servesFromConfigFileWithOverridesAndStopsCleanly(@TempDir Path dir) throws Exception {
        final Path config = dir.resolve("server.properties");
        Files.writeString(config, "listeners=PLAINTEXT://127.0.0.1:0\nnum.partitions=1\n");
        final BrokerCommand command = new BrokerCommand();
        final CommandLine cmd = new CommandLine(command);
        final StringWriter out = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cmd.execute(
                "--config", config.toString(), "--set", "log.dirs=" + dir.resolve("data"), "--set", "num.partitions=3"));
        assertThat(command.started.await(30, TimeUnit.SECONDS)).as("broker started").isTrue();
        final String line = out.toString();
        assertThat(line).startsWith("Skiff broker listening on 127.0.0.1:");
        final int port = Integer.parseInt(line.substring("Skiff broker listening on 127.0.0.1:".length()).split(" ")[0]);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        }
        command.stop();
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(dir.resolve("data").resolve(".skiff_cleanshutdown")).exists();
    }
}

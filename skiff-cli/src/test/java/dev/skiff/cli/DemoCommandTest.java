package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoCommandTest {

    @Test
    void demoRunsTheWholeFlowOnAnEmbeddedBrokerAndChecksEveryRecord(@TempDir Path data) {
        final Cli.Result r = Cli.run("demo", "--records", "20000", "--data", data.toString(), "--progress", "plain");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("[1/6] Broker", "embedded Skiff broker on 127.0.0.1:")
                .contains("[2/6] Topic", "created 'orders' with 6 partitions")
                .contains("[3/6] Producer", "acks", "enable.idempotence", "batch.size")
                .contains("[4/6] Send", "sent 20,000 records")
                .contains("topic=orders partition=")
                .contains("records per partition")
                .contains("p50", "p90", "p99 ", "p99.9", "max")
                .contains("[5/6] Consumer")
                .contains("[6/6] Close");
        for (int p = 0; p < 6; p++) {
            assertThat(r.out()).contains("orders-" + p + " ");
        }
        assertThat(r.out()).doesNotContain("\u001b[");
    }

    @Test
    void demoReusesAKeptTopicAndChecksOnlyTheNewRecords(@TempDir Path data) {
        assertThat(Cli.run("demo", "-n", "3000", "--data", data.toString(), "--progress", "plain").exit()).isZero();
        final Cli.Result again = Cli.run("demo", "-n", "2000", "--data", data.toString(), "--progress", "plain");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("'orders' exists with 6 partitions and 3000 records");
    }

    @Test
    void demoAgainstAnExternalBrokerUsesIt(@TempDir Path data) throws Exception {
        try (var broker = dev.skiff.broker.Broker.start(dev.skiff.broker.BrokerConfig.builder().logDir(data)
                .listener("127.0.0.1", 0).build())) {
            final Cli.Result r = Cli.run("demo", "-n", "5000", "-b", broker.bootstrapServers(), "-t", "ext",
                    "-p", "3", "--progress", "plain");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("using the cluster at " + broker.bootstrapServers())
                    .contains("created 'ext' with 3 partitions").contains("ext-2 ");
        }
    }

    @Test
    void demoAgainstAnUnreachableClusterFailsFastWithOneLine() {
        final long t0 = System.nanoTime();
        final Cli.Result r = Cli.run("demo", "-b", Cli.closedPort());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString().startsWith("skiff demo: cannot reach a broker");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(5);
    }

    @Test
    void badProducerPropertyIsABadArgumentNamingTheKey(@TempDir Path data) {
        final Cli.Result r = Cli.run("demo", "-n", "10", "--data", data.toString(), "-X", "linger.ms=soon");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("linger.ms").contains("soon");
    }

    @Test
    void progressBarIsRedrawnInPlaceWhenAskedFor(@TempDir Path data) {
        final Cli.Result r = Cli.run("demo", "-n", "200000", "--data", data.toString(), "--progress", "bar");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("\r").contains("rec/s").contains("MB/s").contains("100%");
    }
}

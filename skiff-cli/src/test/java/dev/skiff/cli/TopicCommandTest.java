package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopicCommandTest {
    @RegisterExtension
    static final EmbeddedBroker BROKER = new EmbeddedBroker();

    @Test
    void createListDescribeAlterDeleteLifecycle() {
        final String b = BROKER.bootstrap();
        Cli.Result r = Cli.run("topic", "create", "-b", b, "-t", "life", "-p", "3", "-c", "retention.ms=3600000");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Created topic life with 3 partitions.");

        r = Cli.run("topic", "list", "-b", b);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines()).contains("life");

        r = Cli.run("topic", "describe", "-b", b, "-t", "life");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Topic: life", "PartitionCount: 3", "retention.ms=3600000",
                "Partition: 2", "StartOffset: 0", "EndOffset: 0");

        r = Cli.run("topic", "alter", "-b", b, "-t", "life", "-p", "4");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Cli.run("topic", "describe", "-b", b, "-t", "life").out()).contains("PartitionCount: 4");

        r = Cli.run("topic", "alter", "-b", b, "-t", "life", "-c", "segment.bytes=1048576", "-d", "retention.ms");
        assertThat(r.exit()).as(r.toString()).isZero();
        final String described = Cli.run("topic", "describe", "-b", b, "-t", "life").out();
        assertThat(described).contains("segment.bytes=1048576").doesNotContain("retention.ms=3600000");

        r = Cli.run("topic", "delete", "-b", b, "-t", "life");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Cli.run("topic", "list", "-b", b).out().lines()).doesNotContain("life");
    }

    @Test
    void creatingAnExistingTopicFailsWithOneLineUnlessIfNotExists() {
        final String b = BROKER.bootstrap();
        assertThat(Cli.run("topic", "create", "-b", b, "-t", "twice", "-p", "1").exit()).isZero();
        final Cli.Result again = Cli.run("topic", "create", "-b", b, "-t", "twice", "-p", "1");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err().lines()).hasSize(1).first().asString()
                .startsWith("skiff topic create: ").contains("already exists");
        assertThat(Cli.run("topic", "create", "-b", b, "-t", "twice", "--if-not-exists").exit()).isZero();
    }

    @Test
    void deletingAnUnknownTopicFailsUnlessIfExists() {
        final String b = BROKER.bootstrap();
        final Cli.Result r = Cli.run("topic", "delete", "-b", b, "-t", "never-was");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("does not exist");
        assertThat(Cli.run("topic", "delete", "-b", b, "-t", "never-was", "--if-exists").exit()).isZero();
    }

    @Test
    void alterWithNothingToDoIsABadArgument() {
        final Cli.Result r = Cli.run("topic", "alter", "-b", BROKER.bootstrap(), "-t", "x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Nothing to alter");
    }

    @Test
    void unreachableBrokerIsOneClearLineFast() {
        final long t0 = System.nanoTime();
        final Cli.Result r = Cli.run("topic", "list", "-b", Cli.closedPort());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString()
                .startsWith("skiff topic list: cannot reach a broker at 127.0.0.1:1");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(5);
    }
}

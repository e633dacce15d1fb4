package dev.skiff.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code skiff consume --group} commits what it printed so the next run continues after it, and
 * {@code skiff group list|describe|delete} show and remove the group with lag per partition.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommandTest {
    @RegisterExtension
    static final EmbeddedBroker BROKER = new EmbeddedBroker();

    @TempDir
    static Path dir;

    @BeforeAll
    static void produceFiveRecords() throws IOException {
        final String b = BROKER.bootstrap();
        assertThat(Cli.run("topic", "create", "-b", b, "-t", "tasks", "-p", "1").exit()).isZero();
        final Path in = Files.writeString(dir.resolve("in.txt"), "a\nb\nc\nd\ne\n");
        final Cli.Result r = Cli.run("produce", "-b", b, "-t", "tasks", "-f", in.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    @Test
    void consumeInAGroupResumesAndGroupCommandsShowLag() {
        final String b = BROKER.bootstrap();
        Cli.Result r = Cli.run("consume", "-b", b, "-t", "tasks", "--group", "workers", "--from-beginning",
                "--max", "2");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines()).containsExactly("a", "b");

        r = Cli.run("group", "list", "-b", b);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines()).contains("workers");

        r = Cli.run("group", "describe", "-b", b, "-g", "workers");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Group: workers", "State: Empty", "CURRENT-OFFSET", "LAG");
        assertThat(r.out().lines()).anySatisfy(line -> assertThat(line.split("\\s+"))
                .containsExactly("tasks", "0", "2", "5", "3", "-"));

        r = Cli.run("consume", "-b", b, "-t", "tasks", "--group", "workers", "--from-beginning", "--max", "3");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines()).containsExactly("c", "d", "e");
        assertThat(Cli.run("group", "describe", "-b", b, "-g", "workers").out().lines())
                .anySatisfy(line -> assertThat(line.split("\\s+")).containsExactly("tasks", "0", "5", "5", "0", "-"));

        r = Cli.run("group", "reset-offsets", "-b", b, "-g", "workers", "-t", "tasks", "--to-offset", "1");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("dry run");
        assertThat(Cli.run("group", "describe", "-b", b, "-g", "workers").out().lines())
                .anySatisfy(line -> assertThat(line.split("\\s+")).containsExactly("tasks", "0", "5", "5", "0", "-"));
        r = Cli.run("group", "reset-offsets", "-b", b, "-g", "workers", "-t", "tasks", "--to-offset", "3", "--execute");
        assertThat(r.exit()).as(r.toString()).isZero();
        r = Cli.run("consume", "-b", b, "-t", "tasks", "--group", "workers", "--max", "2");
        assertThat(r.out().lines()).containsExactly("d", "e");
        r = Cli.run("group", "reset-offsets", "-b", b, "-g", "workers", "-t", "tasks", "--to-earliest", "--execute");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Cli.run("group", "describe", "-b", b, "-g", "workers").out().lines())
                .anySatisfy(line -> assertThat(line.split("\\s+")).containsExactly("tasks", "0", "0", "5", "5", "-"));

        r = Cli.run("group", "delete", "-b", b, "-g", "workers");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Deleted group workers.");
        assertThat(Cli.run("group", "list", "-b", b).out().lines()).doesNotContain("workers");
    }

    @Test
    void unknownGroupIsOneLineAndExit1() {
        final Cli.Result r = Cli.run("group", "delete", "-b", BROKER.bootstrap(), "-g", "never-was");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString().startsWith("skiff group delete: ");
    }

    @Test
    void groupWithPartitionOptionIsABadArgument() {
        final Cli.Result r = Cli.run("consume", "-b", BROKER.bootstrap(), "-t", "tasks", "--group", "g", "-p", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--group cannot be combined");
    }

    @Test
    void missingSubcommandIsExit2() {
        assertThat(Cli.run("group").exit()).isEqualTo(2);
    }
}

package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SkiffCommandTest {

    @Test
    void helpListsEveryCommand() {
        final Cli.Result r = Cli.run("--help");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("demo", "broker", "topic", "produce");
    }

    @Test
    void unknownOptionIsNamedWithUsageAndExitTwo() {
        final Cli.Result r = Cli.run("produce", "--topic", "t", "--no-such-option");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--no-such-option'").contains("Usage: skiff produce");
    }

    @Test
    void missingRequiredOptionExitsTwo() {
        final Cli.Result r = Cli.run("produce");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--topic=<topic>'");
    }

    @Test
    void topicWithoutSubcommandExitsTwoNamingThem() {
        final Cli.Result r = Cli.run("topic");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing subcommand", "create", "delete");
    }

    @Test
    void malformedPropertyIsABadArgument() {
        final Cli.Result r = Cli.run("produce", "-t", "t", "-X", "linger.ms");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--property");
    }

    @Test
    void mainRegistersOnlyTheSubcommandItRunsButHelpSeesThemAll() {
        assertThat(SkiffCommand.commandLineFor(new String[] {"broker", "--help"}).getSubcommands().keySet())
                .containsExactly("broker");
        assertThat(SkiffCommand.commandLineFor(new String[] {"--help"}).getSubcommands().keySet())
                .containsExactly("demo", "broker", "topic", "produce", "consume", "perf", "group", "help");
        assertThat(SkiffCommand.commandLineFor(new String[] {"nope"}).getSubcommands()).hasSize(8);
    }
}

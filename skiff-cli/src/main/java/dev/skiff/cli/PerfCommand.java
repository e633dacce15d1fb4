package dev.skiff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code skiff perf}: the parent of produce and consume benchmarks. */
@Command(name = "perf",
        mixinStandardHelpOptions = true,
        description = "Measure throughput and latency (like kafka-producer-perf-test / kafka-consumer-perf-test).",
        subcommands = {PerfProduceCommand.class, PerfConsumeCommand.class})
public final class PerfCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    /** Without a subcommand, say which ones exist (exit 2). */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: produce or consume");
    }
}

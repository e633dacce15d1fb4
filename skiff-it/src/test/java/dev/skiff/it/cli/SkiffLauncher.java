package dev.skiff.it.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ./skiff} from the repository root as a user would, with optional stdin, and collects exit code,
 * stdout, stderr and wall time. The launcher rebuilds the jar only when sources are newer than it, which in a
 * reactor build they are not.
 */
final class SkiffLauncher {
    /**
     * What a run produced.
     *
     * @param exit   exit code
     * @param out    stdout
     * @param err    stderr
     * @param millis wall time
     */
    record Run(int exit, String out, String err, long millis) {
        @Override
        public String toString() {
            return "exit " + exit + " in " + millis + " ms\n--- out ---\n" + out + "\n--- err ---\n" + err;
        }
    }

    private SkiffLauncher() {
    }

    static Path root() {
        return Path.of(System.getProperty("skiff.repo.root", "..")).toAbsolutePath().normalize();
    }

    static Run run(Duration timeout, String stdin, String... args) throws Exception {
        final List<String> command = new ArrayList<>();
        command.add(root().resolve("skiff").toString());
        command.addAll(List.of(args));
        final ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile());
        // Small and quick: the machine running the tests is shared.
        pb.environment().put("SKIFF_JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC");
        pb.environment().remove("CI");
        final long t0 = System.nanoTime();
        final Process p = pb.start();
        final CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        final CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("./skiff " + String.join(" ", args) + " did not finish within " + timeout);
            }
        } finally {
            p.destroyForcibly();
        }
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS), millis);
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.skiff.kafkapeer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ParentWatchTest {

    @Test
    void wrappedMainGetsItsArgumentsAndKeepsItsExitStatus() throws Exception {
        final Process child = launch(EchoAndExit.class, "alpha", "beta");
        try (BufferedReader out = reader(child)) {
            assertThat(out.readLine()).isEqualTo("args=alpha,beta");
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(3);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void childHaltsOnceItsParentsPipeCloses() throws Exception {
        final Process child = launch(SleepForever.class);
        try (BufferedReader out = reader(child)) {
            assertThat(out.readLine()).isEqualTo("sleeping");
            assertThat(child.isAlive()).isTrue();

            // What the kernel does when the parent JVM dies, however it dies.
            child.getOutputStream().close();

            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(ParentWatch.ORPHANED_EXIT_STATUS);
        } finally {
            child.destroyForcibly();
        }
    }

    private static Process launch(final Class<?> main, final String... args) throws IOException,
            URISyntaxException {
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-cp",
                codeSource(ParentWatch.class) + File.pathSeparator + codeSource(main),
                ParentWatch.class.getName(), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String codeSource(final Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static BufferedReader reader(final Process child) {
        return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Child main: prints its arguments and exits with status 3. */
    public static final class EchoAndExit {
        public static void main(final String[] args) {
            System.out.println("args=" + String.join(",", args));
            System.out.flush();
            System.exit(3);
        }
    }

    /** Child main: announces itself and never returns on its own. */
    public static final class SleepForever {
        public static void main(final String[] args) throws InterruptedException {
            System.out.println("sleeping");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}

package dev.skiff.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the non-Java clients the interop tests run (kcat, node), which a machine may or may not have. */
public final class ExternalTools {
    private ExternalTools() {
    }

    /** The executable {@code name} on PATH, or null when there is none (the test then skips). */
    public static Path onPath(String name) {
        final String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            final Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}

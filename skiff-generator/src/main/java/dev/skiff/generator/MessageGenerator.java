package dev.skiff.generator;

import dev.skiff.generator.java.ApiKeysWriter;
import dev.skiff.generator.java.MessageClassWriter;
import dev.skiff.generator.spec.MessageSpec;
import dev.skiff.generator.spec.SpecReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Build-time entry point: turns Kafka's JSON message specs into Java message classes and the
 * {@code ApiKeys} enum.
 *
 * <p>Files whose content did not change are left untouched, so the compiler's staleness check does not
 * recompile two hundred classes on every build; files no longer generated are deleted.
 *
 * <pre>
 * usage: MessageGenerator &lt;spec-dir&gt; &lt;output-source-root&gt; [package]
 * </pre>
 */
public final class MessageGenerator {
    /** The package generated classes go to unless told otherwise. */
    public static final String DEFAULT_PACKAGE = "dev.skiff.protocol.message";

    private final Path specDir;
    private final Path packageDir;
    private final String pkg;

    public MessageGenerator(Path specDir, Path sourceRoot, String pkg) {
        this.specDir = specDir;
        this.pkg = pkg;
        this.packageDir = sourceRoot.resolve(pkg.replace('.', '/'));
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            // Thrown, not System.exit: the build runs this inside Maven's own JVM.
            throw new IllegalArgumentException("usage: MessageGenerator <spec-dir> <output-source-root> [package]");
        }
        final MessageGenerator generator = new MessageGenerator(Paths.get(args[0]), Paths.get(args[1]),
            args.length == 3 ? args[2] : DEFAULT_PACKAGE);
        final int files = generator.run();
        System.out.println("skiff-generator: " + files + " files in " + generator.packageDir);
    }

    /** Generates everything; returns the number of files the package holds afterwards. */
    public int run() throws IOException {
        final List<Path> specs;
        try (Stream<Path> list = Files.list(specDir)) {
            specs = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted()
                .collect(Collectors.toList());
        }
        if (specs.isEmpty()) {
            throw new IllegalStateException("no *.json specs in " + specDir);
        }
        Files.createDirectories(packageDir);
        final SpecReader reader = new SpecReader();
        final ApiKeysWriter apiKeys = new ApiKeysWriter();
        final Set<String> written = new HashSet<>();
        final Set<String> classNames = new HashSet<>();
        for (Path spec : specs) {
            final MessageSpec message = reader.read(spec);
            final String source;
            try {
                source = new MessageClassWriter(message).write(pkg);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(spec.getFileName() + ": " + e.getMessage(), e);
            }
            if (!classNames.add(message.className())) {
                throw new IllegalArgumentException("duplicate class " + message.className());
            }
            emit(message.className(), source, written);
            apiKeys.add(message);
        }
        emit("ApiKeys", apiKeys.write(pkg), written);
        emit("package-info", packageInfo(), written);
        deleteStale(written);
        return written.size();
    }

    private String packageInfo() {
        return "/**\n"
            + " * Kafka protocol messages generated at build time from Kafka's JSON message specs, one class per\n"
            + " * spec ({@code <SpecName>Data}) plus {@link " + pkg + ".ApiKeys}. Do not edit: change the\n"
            + " * generator (module skiff-generator) instead.\n"
            + " */\n"
            + "package " + pkg + ";\n";
    }

    private void emit(String className, String source, Set<String> written) throws IOException {
        final Path file = packageDir.resolve(className + ".java");
        final byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
            Files.write(file, bytes);
        }
        written.add(file.getFileName().toString());
    }

    private void deleteStale(Set<String> written) throws IOException {
        try (Stream<Path> list = Files.list(packageDir)) {
            list.filter(p -> !written.contains(p.getFileName().toString())).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}

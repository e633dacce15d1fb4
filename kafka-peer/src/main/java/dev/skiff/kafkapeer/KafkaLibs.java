package dev.skiff.kafkapeer;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Finds the directory holding Apache Kafka's runtime jars ({@code kafka-peer/target/kafka-libs}), which the
 * kafka-peer build fills with maven-dependency-plugin.
 *
 * <p>Looked up in this order, first hit wins:
 * <ol>
 *   <li>system property {@value #LIBS_PROPERTY}: the directory itself (an error if it holds no Kafka jar);</li>
 *   <li>system property {@value #REPO_ROOT_PROPERTY}: the repository root, as skiff-it's failsafe sets it;</li>
 *   <li>next to this class when it is loaded from {@code kafka-peer/target/classes} or the module's jar;</li>
 *   <li>walking up from the working directory to a directory that holds {@code kafka-peer/pom.xml}.</li>
 * </ol>
 * The jar in the local Maven repository carries no libs, so the walk matters when a module's tests run with
 * {@code -pl}: Maven starts the test JVM in that module's directory, one level below the repository root.
 */
public final class KafkaLibs {
    /** System property naming the kafka-libs directory explicitly. */
    public static final String LIBS_PROPERTY = "kafka.peer.libs";
    /** System property naming the Skiff repository root. */
    public static final String REPO_ROOT_PROPERTY = "skiff.repo.root";

    private static final String MODULE = "kafka-peer";
    private static final Path RELATIVE_LIBS = Path.of("target", "kafka-libs");
    private static final String MARKER_PREFIX = "kafka_2.13-";

    private KafkaLibs() {
    }

    /**
     * Returns the kafka-libs directory.
     *
     * @throws KafkaPeerException when no candidate holds Kafka's jars; the message lists where it looked and how to
     *     build them
     */
    public static Path locate() {
        return locate(System::getProperty, codeSource(), Path.of(System.getProperty("user.dir")));
    }

    /** The child-JVM classpath entry for every jar in {@code libs}: Java expands {@code dir/*} itself. */
    public static String classpathWildcard(final Path libs) {
        return libs.toAbsolutePath() + "/*";
    }

    static Path locate(final UnaryOperator<String> properties, final Path codeSource, final Path workingDir) {
        final List<Path> tried = new ArrayList<>();
        final String explicit = properties.apply(LIBS_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            final Path dir = Path.of(explicit).toAbsolutePath().normalize();
            if (holdsKafka(dir)) {
                return dir;
            }
            throw new KafkaPeerException("-D" + LIBS_PROPERTY + "=" + explicit + " does not hold Apache Kafka's jars ("
                    + MARKER_PREFIX + "*.jar); " + buildHint());
        }
        final String root = properties.apply(REPO_ROOT_PROPERTY);
        if (root != null && !root.isBlank()) {
            final Path dir = Path.of(root).resolve(MODULE).resolve(RELATIVE_LIBS).toAbsolutePath().normalize();
            if (holdsKafka(dir)) {
                return dir;
            }
            tried.add(dir);
        }
        if (codeSource != null) {
            // target/classes or target/kafka-peer-<version>.jar: kafka-libs is a sibling in target/.
            final Path target = codeSource.toAbsolutePath().normalize().getParent();
            if (target != null && target.getParent() != null
                    && target.getParent().getFileName() != null
                    && target.getParent().getFileName().toString().equals(MODULE)) {
                final Path dir = target.resolve("kafka-libs");
                if (holdsKafka(dir)) {
                    return dir;
                }
                tried.add(dir);
            }
        }
        for (Path dir = workingDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(MODULE).resolve("pom.xml"))) {
                final Path libs = dir.resolve(MODULE).resolve(RELATIVE_LIBS);
                if (holdsKafka(libs)) {
                    return libs;
                }
                tried.add(libs);
                break;
            }
        }
        throw new KafkaPeerException("Apache Kafka's jars were not found (looked in " + (tried.isEmpty()
                ? "no candidate directory; working directory " + workingDir : tried.toString()) + "); " + buildHint());
    }

    private static String buildHint() {
        return "build them with 'mvn -B install -pl kafka-peer -DskipTests' from the repository root, or point -D"
                + LIBS_PROPERTY + " at a directory of Kafka jars";
    }

    static boolean holdsKafka(final Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, MARKER_PREFIX + "*.jar")) {
            return jars.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** Where this class was loaded from (a classes directory or a jar), or null when unknown. */
    static Path codeSource() {
        try {
            final var source = KafkaLibs.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}

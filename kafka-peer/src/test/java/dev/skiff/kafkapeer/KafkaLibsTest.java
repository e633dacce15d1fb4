package dev.skiff.kafkapeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaLibsTest {
    @TempDir
    Path root;
    private Path libs;

    @BeforeEach
    void fakeRepository() throws IOException {
        Files.createDirectories(root.resolve("kafka-peer"));
        Files.writeString(root.resolve("kafka-peer/pom.xml"), "<project/>");
        libs = Files.createDirectories(root.resolve("kafka-peer/target/kafka-libs"));
        Files.createFile(libs.resolve("kafka_2.13-4.4.0.jar"));
        Files.createDirectories(root.resolve("skiff-it/target"));
    }

    @Test
    void explicitPropertyWinsOverEverythingElse() throws IOException {
        final Path other = Files.createDirectories(root.resolve("elsewhere"));
        Files.createFile(other.resolve("kafka_2.13-4.4.0.jar"));

        final Path found = KafkaLibs.locate(Map.of(KafkaLibs.LIBS_PROPERTY, other.toString())::get, null,
                root.resolve("skiff-it"));

        assertThat(found).isEqualTo(other.toAbsolutePath().normalize());
    }

    @Test
    void explicitPropertyWithoutKafkaJarsIsAnErrorRatherThanAFallback() {
        assertThatThrownBy(() -> KafkaLibs.locate(Map.of(KafkaLibs.LIBS_PROPERTY, root.toString())::get, null,
                root.resolve("skiff-it")))
                .isInstanceOf(KafkaPeerException.class)
                .hasMessageContaining(KafkaLibs.LIBS_PROPERTY)
                .hasMessageContaining("mvn -B install -pl kafka-peer");
    }

    @Test
    void repositoryRootPropertyFindsTheModuleTarget() {
        final Path found = KafkaLibs.locate(Map.of(KafkaLibs.REPO_ROOT_PROPERTY, root + "/skiff-it/..")::get, null,
                Path.of("/"));

        assertThat(found).isEqualTo(libs.toAbsolutePath().normalize());
    }

    @Test
    void classesDirectoryOfTheModuleFindsItsSibling() throws IOException {
        final Path classes = Files.createDirectories(root.resolve("kafka-peer/target/classes"));

        final Path found = KafkaLibs.locate(Map.<String, String>of()::get, classes, Path.of("/"));

        assertThat(found).isEqualTo(libs.toAbsolutePath().normalize());
    }

    @Test
    void jarOutsideTheModuleFallsBackToWalkingUpFromTheWorkingDirectory() {
        final Path localRepositoryJar = root.resolve("m2/dev/skiff/kafka-peer/0.1.0-SNAPSHOT/kafka-peer.jar");

        final Path found = KafkaLibs.locate(Map.<String, String>of()::get, localRepositoryJar,
                root.resolve("skiff-it/target"));

        assertThat(found).isEqualTo(libs.toAbsolutePath().normalize());
    }

    @Test
    void missingLibsSayWhereItLookedAndHowToBuildThem() throws IOException {
        Files.delete(libs.resolve("kafka_2.13-4.4.0.jar"));

        assertThatThrownBy(() -> KafkaLibs.locate(Map.<String, String>of()::get, null, root.resolve("skiff-it")))
                .isInstanceOf(KafkaPeerException.class)
                .hasMessageContaining(libs.toString())
                .hasMessageContaining("mvn -B install -pl kafka-peer -DskipTests");
    }
}

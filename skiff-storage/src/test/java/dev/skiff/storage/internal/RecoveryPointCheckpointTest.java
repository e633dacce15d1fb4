package dev.skiff.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.TopicPartition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class RecoveryPointCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void roundTrips() throws Exception {
        final Map<TopicPartition, Long> points = Map.of(new TopicPartition("a-b", 3), 42L,
                new TopicPartition("c", 0), 0L);

        RecoveryPointCheckpoint.write(dir, points);

        assertThat(RecoveryPointCheckpoint.read(dir)).isEqualTo(points);
        assertThat(dir.resolve("recovery-point-offset-checkpoint.tmp")).doesNotExist();
    }

    @Test
    void aMissingOrMalformedFileMeansRecoverEverything() throws Exception {
        assertThat(RecoveryPointCheckpoint.read(dir)).isEmpty();
        final Path file = dir.resolve("recovery-point-offset-checkpoint");
        for (String content : new String[] {"", "1\n0\n", "0\n2\nt 0 5\n", "0\n1\nt x 5\n", "0\n1\nt 0\n"}) {
            Files.writeString(file, content);
            assertThat(RecoveryPointCheckpoint.read(dir)).as("'%s'", content).isEmpty();
        }
    }
}

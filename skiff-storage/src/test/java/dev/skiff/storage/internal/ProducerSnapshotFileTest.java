package dev.skiff.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ProducerSnapshotFileTest {
    @TempDir
    Path dir;

    private static ProducerStateTable sample() {
        final ProducerStateTable table = new ProducerStateTable();
        final ProducerEntry a = new ProducerEntry(1L, (short) 0);
        for (int i = 0; i < 7; i++) {
            a.addBatch((short) 0, 10 * i, 10 * i + 9, 100L * i, 100L * i + 9, 5000 + i);
        }
        final ProducerEntry b = new ProducerEntry(Long.MAX_VALUE, Short.MAX_VALUE);
        b.addBatch(Short.MAX_VALUE, Integer.MAX_VALUE, 3, 1L << 40, (1L << 40) + 4, -1);
        table.put(a);
        table.put(b);
        return table;
    }

    @Test
    void roundTripsEveryRememberedBatch() throws Exception {
        final Path file = LogFileNames.snapshotFile(dir, 77);
        ProducerSnapshotFile.write(file, sample(), true);

        final ProducerStateTable read = new ProducerStateTable();
        assertThat(ProducerSnapshotFile.read(file, read)).isTrue();

        assertThat(read.size()).isEqualTo(2);
        final ProducerEntry a = read.get(1L);
        assertThat(a.batchCount()).isEqualTo(ProducerEntry.BATCHES_TO_RETAIN);
        assertThat(a.firstSeq(0)).isEqualTo(20);
        assertThat(a.lastOffset(4)).isEqualTo(609);
        assertThat(a.lastTimestamp()).isEqualTo(5006);
        assertThat(a.findBatch(60, 69)).isEqualTo(4);
        final ProducerEntry b = read.get(Long.MAX_VALUE);
        assertThat(b.epoch()).isEqualTo(Short.MAX_VALUE);
        assertThat(b.lastSeq()).isEqualTo(3);
        assertThat(b.firstOffset(0)).isEqualTo(1L << 40);
        assertThat(ProducerSnapshotFile.list(dir)).containsOnlyKeys(77L);
    }

    @Test
    void anyDamageIsDetected() {
        final ByteBuffer good = ProducerSnapshotFile.encode(sample());
        for (int i = 0; i < good.limit(); i++) {
            for (int bit = 0; bit < 8; bit++) {
                final ByteBuffer bad = ByteBuffer.allocate(good.limit()).put(good.duplicate()).flip();
                bad.put(i, (byte) (bad.get(i) ^ (1 << bit)));
                assertThat(ProducerSnapshotFile.decode(bad, new ProducerStateTable())).as("byte %d bit %d", i, bit)
                        .isFalse();
            }
        }
        for (int cut = 0; cut < good.limit(); cut++) {
            assertThat(ProducerSnapshotFile.decode(good.duplicate().limit(cut), new ProducerStateTable())).isFalse();
        }
        assertThat(ProducerSnapshotFile.decode(good.duplicate(), new ProducerStateTable())).isTrue();
    }
}

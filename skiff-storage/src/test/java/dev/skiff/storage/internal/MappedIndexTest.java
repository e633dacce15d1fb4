package dev.skiff.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class MappedIndexTest {
    @TempDir
    Path dir;

    @Test
    void offsetIndexLooksUpTheLastEntryAtOrBelowTheTarget() throws Exception {
        final OffsetIndex index = new OffsetIndex(dir.resolve("a.index"), 100, 1024);
        assertThat(index.lookup(150)).isZero();
        index.append(109, 500);
        index.append(120, 900);
        index.append(140, 1400);

        assertThat(index.lookup(99)).isZero();
        assertThat(index.lookup(108)).isZero();
        assertThat(index.lookup(109)).isEqualTo(500);
        assertThat(index.lookup(139)).isEqualTo(900);
        assertThat(index.lookup(Long.MAX_VALUE)).isEqualTo(1400);
        assertThat(index.floorPosition(899)).isEqualTo(500);
        assertThat(index.floorPosition(900)).isEqualTo(900);
        assertThat(index.floorPosition(10)).isZero();
        assertThat(index.isSane(141, 1500)).isTrue();
        assertThat(index.isSane(140, 1500)).as("entry beyond the next offset").isFalse();
        assertThat(index.isSane(141, 1400)).as("entry beyond the log size").isFalse();
    }

    @Test
    void trimmingRecordsTheEntryCountInTheFileLength() throws Exception {
        final Path file = dir.resolve("b.index");
        final OffsetIndex index = new OffsetIndex(file, 0, 1000);
        assertThat(Files.size(file)).as("preallocated, whole entries").isEqualTo(1000);
        assertThat(index.maxEntries()).isEqualTo(125);
        index.append(5, 10);
        index.append(9, 20);

        index.trimToValidSize();

        assertThat(Files.size(file)).isEqualTo(16);
        final OffsetIndex reopened = new OffsetIndex(file, 0, 1000);
        assertThat(reopened.entries()).isEqualTo(2);
        assertThat(reopened.lookup(9)).isEqualTo(20);
        reopened.resize(1000);
        reopened.append(12, 30);
        assertThat(reopened.entries()).isEqualTo(3);
    }

    @Test
    void timeIndexKeepsOnlyGrowingTimestampsAndReservesTheFinalSlot() throws Exception {
        final TimeIndex index = new TimeIndex(dir.resolve("c.timeindex"), 1000, 36);
        assertThat(index.maxEntries()).isEqualTo(3);
        index.maybeAppend(50, 1001, false);
        index.maybeAppend(50, 1002, false);
        index.maybeAppend(40, 1003, false);
        index.maybeAppend(70, 1004, false);
        assertThat(index.entries()).isEqualTo(2);
        assertThat(index.isFull()).isTrue();
        index.maybeAppend(80, 1005, false);
        assertThat(index.entries()).isEqualTo(2);
        index.maybeAppend(80, 1005, true);
        assertThat(index.entries()).isEqualTo(3);

        assertThat(index.lookup(10)).isEqualTo(1000);
        assertThat(index.lookup(50)).isEqualTo(1001);
        assertThat(index.lookup(79)).isEqualTo(1004);
        assertThat(index.lastTimestamp()).isEqualTo(80);
        assertThat(index.isSane(1006)).isTrue();
        assertThat(index.isSane(1005)).isFalse();
    }
}

package dev.skiff.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LogFileNamesTest {
    @Test
    void segmentNamesAreTwentyDigitOffsets() {
        assertThat(LogFileNames.offsetPrefix(0)).isEqualTo("00000000000000000000");
        assertThat(LogFileNames.offsetPrefix(Long.MAX_VALUE)).isEqualTo("09223372036854775807");
        assertThat(LogFileNames.offsetOf("00000000000000001234.log", ".log")).isEqualTo(1234);
        assertThat(LogFileNames.offsetOf("00000000000000001234.index", ".log")).isEqualTo(-1);
        assertThat(LogFileNames.offsetOf("0000000000000000123.log", ".log")).isEqualTo(-1);
        assertThat(LogFileNames.offsetOf("0000000000000000123x.log", ".log")).isEqualTo(-1);
        assertThat(LogFileNames.offsetOf("99999999999999999999.log", ".log")).isEqualTo(-1);
    }

    @Test
    void directoryNamesSplitAtTheLastDash() {
        assertThat(LogFileNames.parseLogDirName("orders-0")).isEqualTo(new TopicPartition("orders", 0));
        assertThat(LogFileNames.parseLogDirName("a-b-c-17")).isEqualTo(new TopicPartition("a-b-c", 17));
        assertThat(LogFileNames.parseLogDirName("orders")).isNull();
        assertThat(LogFileNames.parseLogDirName("orders-")).isNull();
        assertThat(LogFileNames.parseLogDirName("-3")).isNull();
        assertThat(LogFileNames.parseLogDirName(".skiff-topics")).isNull();
        assertThat(LogFileNames.parseLogDirName("t-99999999999")).isNull();
        assertThat(LogFileNames.parseLogDirName("orders-1.deleted")).isNull();
    }
}

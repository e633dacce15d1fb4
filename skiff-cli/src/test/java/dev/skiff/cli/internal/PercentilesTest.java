package dev.skiff.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void percentilesComeFromMicrosecondsAsMilliseconds() {
        final Histogram h = new Histogram(3_600_000_000L, 3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 1000L);
        }
        final Percentiles p = Percentiles.of(h);
        assertThat(p.count()).isEqualTo(1000);
        assertThat(p.p50()).isBetween(499.0, 501.0);
        assertThat(p.p99()).isBetween(989.0, 991.0);
        assertThat(p.max()).isBetween(999.0, 1001.0);
        assertThat(p.line()).startsWith("p50 50").contains("p99.9 ").contains("max ");
    }

    @Test
    void emptyHistogramIsAllZero() {
        assertThat(Percentiles.of(new Histogram(3)).p99()).isZero();
    }

    @Test
    void formatKeepsThreeSignificantFigures() {
        assertThat(Percentiles.fmt(0.1234)).isEqualTo("0.123");
        assertThat(Percentiles.fmt(1.234)).isEqualTo("1.23");
        assertThat(Percentiles.fmt(12.34)).isEqualTo("12.3");
        assertThat(Percentiles.fmt(1234.5)).isEqualTo("1235");
    }

    @Test
    void histogramChartHasOneRowPerPowerOfTwoAndCountsEverything() {
        final Histogram h = new Histogram(3_600_000_000L, 3);
        h.recordValue(900);   // 0.512-1.024 ms
        h.recordValue(1500);  // 1.024-2.048 ms
        h.recordValue(1600);
        final var buckets = HistogramChart.buckets(h);
        assertThat(buckets).hasSize(2);
        assertThat(buckets.stream().mapToLong(HistogramChart.Bucket::count).sum()).isEqualTo(3);
        assertThat(HistogramChart.format(h, "", 10, Terminal.plain())).contains("66.67%").contains("##########");
    }

    @Test
    void latencyRecorderTotalsEveryInterval() {
        final LatencyRecorder r = new LatencyRecorder();
        r.record(100);
        assertThat(r.interval().getTotalCount()).isEqualTo(1);
        r.record(200);
        r.record(-5);
        assertThat(r.total().getTotalCount()).isEqualTo(3);
        assertThat(r.total().getMinValue()).isZero();
    }
}

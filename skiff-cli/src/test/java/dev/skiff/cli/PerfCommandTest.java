package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.cli.internal.PngChartWriter;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PerfCommandTest {
    @RegisterExtension
    static final EmbeddedBroker BROKER = new EmbeddedBroker();

    @Test
    void perfProduceReportsKafkaFieldsJsonAndChart(@TempDir Path dir) throws Exception {
        final Path chart = dir.resolve("latency.html");
        final Cli.Result r = Cli.run("perf", "produce", "-b", BROKER.bootstrap(), "-t", "perf", "--num-records", "20000",
                "--record-size", "100", "--throughput", "-1", "--producer-props", "acks=1", "linger.ms=1", "--json",
                "--chart", chart.toString(), "--progress", "plain");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("20000 records sent,", "records/sec", "MB/sec", "ms avg latency",
                "ms 50th", "ms 95th", "ms 99th", "ms 99.9th");
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("records").asLong()).isEqualTo(20000);
        assertThat(json.get("errors").asLong()).isZero();
        assertThat(json.get("bytes").asLong()).isEqualTo(2_000_000);
        assertThat(json.get("p99Ms").asDouble()).isPositive();
        assertThat(json.get("producerConfig").get("acks").asText()).isEqualTo("1");
        assertThat(Files.readString(chart)).startsWith("<!DOCTYPE html>").contains("<svg").contains("<polyline")
                .contains("Latency histogram").doesNotContain("<script");
    }

    @Test
    void throughputCapHoldsTheRate() {
        final long t0 = System.nanoTime();
        final Cli.Result r = Cli.run("perf", "produce", "-b", BROKER.bootstrap(), "-t", "capped", "-n", "3000",
                "-s", "10", "--throughput", "3000", "--progress", "plain");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(900);
    }

    @Test
    void payloadFileValuesAreUsed(@TempDir Path dir) throws Exception {
        final Path payloads = Files.writeString(dir.resolve("p.txt"), "alpha\nbeta\n");
        final Cli.Result r = Cli.run("perf", "produce", "-b", BROKER.bootstrap(), "-t", "payloads", "-n", "50",
                "--payload-file", payloads.toString(), "--progress", "plain");
        assertThat(r.exit()).as(r.toString()).isZero();
        final Cli.Result read = Cli.run("consume", "-b", BROKER.bootstrap(), "-t", "payloads", "--from-beginning",
                "-e");
        assertThat(read.out().lines()).hasSize(50).allMatch(v -> v.equals("alpha") || v.equals("beta"));
    }

    @Test
    void perfConsumeReadsWhatPerfProduceWrote() throws Exception {
        final String b = BROKER.bootstrap();
        assertThat(Cli.run("perf", "produce", "-b", b, "-t", "pc", "-n", "5000", "-s", "50", "--progress",
                "plain").exit()).isZero();
        final Cli.Result table = Cli.run("perf", "consume", "-b", b, "-t", "pc", "--messages", "5000", "--progress",
                "plain");
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.out()).startsWith("start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg")
                .contains(", 5000, ");
        final Cli.Result json = Cli.run("perf", "consume", "-b", b, "-t", "pc", "-n", "1000", "--json");
        final JsonNode node = new ObjectMapper().readTree(json.out());
        assertThat(node.get("records").asLong()).isEqualTo(1000);
        assertThat(node.get("bytes").asLong()).isEqualTo(50_000);
    }

    @Test
    void perfConsumeChartsEndToEndLatencyAsHtmlOrPng(@TempDir Path dir) throws Exception {
        final String b = BROKER.bootstrap();
        assertThat(Cli.run("perf", "produce", "-b", b, "-t", "pc-chart", "-n", "3000", "-s", "50", "--progress",
                "plain").exit()).isZero();
        final Path html = dir.resolve("consume.html");
        final Cli.Result r = Cli.run("perf", "consume", "-b", b, "-t", "pc-chart", "-n", "3000", "--chart",
                html.toString(), "--progress", "plain");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("chart written to " + html);
        assertThat(Files.readString(html)).contains("<svg", "skiff perf consume");

        final Path png = dir.resolve("consume.png");
        final Cli.Result j = Cli.run("perf", "consume", "-b", b, "-t", "pc-chart", "-n", "3000", "--chart",
                png.toString(), "--json");
        assertThat(j.exit()).as(j.toString()).isZero();
        assertThat(new ObjectMapper().readTree(j.out()).get("records").asLong()).isEqualTo(3000);
        final java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image).isNotNull();

        final Cli.Result bad = Cli.run("perf", "consume", "-b", b, "-t", "pc-chart", "-n", "10", "--chart",
                dir.resolve("consume.svg").toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains(".html or .png");
    }

    @Test
    void perfProduceWritesPngChart(@TempDir Path dir) throws Exception {
        final Path chart = dir.resolve("latency.png");
        final Cli.Result r = Cli.run("perf", "produce", "-b", BROKER.bootstrap(), "-t", "perf-png", "-n", "2000",
                "-s", "100", "--throughput", "-1", "--chart", chart.toString(), "--progress", "plain");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("chart written to " + chart);
        final byte[] bytes = Files.readAllBytes(chart);
        assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G', (byte) 0x0d, (byte) 0x0a,
                (byte) 0x1a, (byte) 0x0a);
        final BufferedImage image = ImageIO.read(chart.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(PngChartWriter.WIDTH);
        assertThat(image.getHeight()).isEqualTo(PngChartWriter.HEIGHT);
        // Something was drawn: not every pixel is the white background.
        boolean drawn = false;
        for (int y = 0; y < image.getHeight() && !drawn; y += 5) {
            for (int x = 0; x < image.getWidth() && !drawn; x += 5) {
                drawn = (image.getRGB(x, y) & 0xffffff) != 0xffffff;
            }
        }
        assertThat(drawn).isTrue();
    }

    @Test
    void missingPayloadOptionAndUnknownChartTypeAreBadArguments(@TempDir Path dir) {
        final String b = BROKER.bootstrap();
        final Cli.Result none = Cli.run("perf", "produce", "-b", b, "-t", "x", "-n", "5");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("--record-size").contains("--payload-file");
        final Path txt = dir.resolve("out.txt");
        final Cli.Result text = Cli.run("perf", "produce", "-b", b, "-t", "x", "-n", "5", "-s", "1", "--chart",
                txt.toString());
        assertThat(text.exit()).as(text.toString()).isEqualTo(2);
        assertThat(text.err()).contains(".html").contains(".png");
        assertThat(txt).doesNotExist();
        assertThat(Cli.run("perf", "produce", "-b", b, "-t", "x", "-n", "5", "-s", "1", "--chart",
                dir.resolve("out.svg").toString()).exit()).isEqualTo(2);
        assertThat(Cli.run("perf").exit()).isEqualTo(2);
    }

    @Test
    void unreachableBrokerIsOneClearLineFast() {
        final Cli.Result r = Cli.run("perf", "produce", "-b", Cli.closedPort(), "-t", "x", "-n", "5", "-s", "1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString()
                .startsWith("skiff perf produce: cannot reach a broker");
    }
}

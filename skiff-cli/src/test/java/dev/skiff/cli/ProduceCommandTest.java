package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProduceCommandTest {
    @RegisterExtension
    static final EmbeddedBroker BROKER = new EmbeddedBroker();

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private String endOffsets(String topic) {
        return Cli.run("topic", "describe", "-b", BROKER.bootstrap(), "-t", topic).out();
    }

    @Test
    void sendsEveryLineOfAFileAndPrintsASummary() throws IOException {
        final Path in = file("lines.txt", "a:1\nb:2\nc:3\n");
        final Cli.Result r = Cli.run("produce", "-b", BROKER.bootstrap(), "-t", "plain", "-f", in.toString(),
                "-K", ":", "-H", "source=test", "--acks", "1", "--compression", "lz4");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("3 records sent to plain", "0 errors");
        assertThat(endOffsets("plain")).contains("EndOffset: 3");
    }

    @Test
    void linesWithoutTheKeySeparatorAreCountedAsErrors() throws IOException {
        final Path in = file("keys.txt", "k:v\nnokey\nk2:v2\n");
        final Cli.Result r = Cli.run("produce", "-b", BROKER.bootstrap(), "-t", "keyed", "-f", in.toString(),
                "-K", ":");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("2 records sent", "1 errors", "line 2: no key separator ':'");
    }

    @Test
    void jsonFormatRejectsInvalidLines() throws IOException {
        final Path in = file("docs.json", "{\"a\": 1}\n{not json\n[1, 2]\n");
        final Cli.Result r = Cli.run("produce", "-b", BROKER.bootstrap(), "-t", "json", "-f", in.toString(),
                "--format", "json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("2 records sent", "1 errors", "line 2: not valid JSON");
    }

    @Test
    void avroFormatEncodesLinesWithTheSchema() throws IOException {
        final Path schema = file("order.avsc", "{\"type\":\"record\",\"name\":\"Order\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"item\",\"type\":\"string\"}]}");
        final Path in = file("orders.json", "{\"id\": 1, \"item\": \"tea\"}\n{\"id\": \"x\"}\n");
        final Cli.Result r = Cli.run("produce", "-b", BROKER.bootstrap(), "-t", "avro", "-f", in.toString(),
                "--format", "avro", "--schema", schema.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("1 records sent", "1 errors", "line 2: does not match Avro schema Order");
    }

    @Test
    void avroWithoutASchemaIsABadArgument() {
        final Cli.Result r = Cli.run("produce", "-b", BROKER.bootstrap(), "-t", "x", "--format", "avro");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--schema");
    }

    @Test
    void missingFileIsABadArgument() {
        final Cli.Result r = Cli.run("produce", "-b", BROKER.bootstrap(), "-t", "x", "-f", dir.resolve("nope").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no such file");
    }

    @Test
    void unknownProducerPropertyIsABadArgumentNamingIt() throws IOException {
        final Cli.Result r = Cli.run("produce", "-b", BROKER.bootstrap(), "-t", "x", "-X", "lingerr.ms=5");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown configuration lingerr.ms");
    }

    @Test
    void unreachableBrokerIsOneClearLineFast() throws IOException {
        final Path in = file("one.txt", "x\n");
        final long t0 = System.nanoTime();
        final Cli.Result r = Cli.run("produce", "-b", Cli.closedPort(), "-t", "x", "-f", in.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString().startsWith("skiff produce: cannot reach a broker");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(5);
    }
}

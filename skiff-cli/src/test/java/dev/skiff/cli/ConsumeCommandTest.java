package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumeCommandTest {
    @RegisterExtension
    static final EmbeddedBroker BROKER = new EmbeddedBroker();

    @TempDir
    static Path dir;

    @BeforeAll
    static void produceSomeRecords() throws IOException {
        final String b = BROKER.bootstrap();
        assertThat(Cli.run("topic", "create", "-b", b, "-t", "greetings", "-p", "1").exit()).isZero();
        final Path in = Files.writeString(dir.resolve("in.txt"), "k1:hello\nk2:world\nk3:again\n");
        final Cli.Result r = Cli.run("produce", "-b", b, "-t", "greetings", "-f", in.toString(), "-K", ":",
                "-H", "lang=en", "-H", "src=test");
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    @Test
    void roundTripWithKeysHeadersAndKcatFormat() {
        final Cli.Result r = Cli.run("consume", "-b", BROKER.bootstrap(), "-t", "greetings", "--from-beginning", "-e",
                "--format", "%k=%v p%p o%o [%h] %K/%S %t");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "k1=hello p0 o0 [lang=en,src=test] 2/5 greetings",
                "k2=world p0 o1 [lang=en,src=test] 2/5 greetings",
                "k3=again p0 o2 [lang=en,src=test] 2/5 greetings");
        assertThat(r.err()).contains("Processed a total of 3 messages");
    }

    @Test
    void offsetAndMaxSelectRecords() {
        final String b = BROKER.bootstrap();
        assertThat(Cli.run("consume", "-b", b, "-t", "greetings", "--offset", "1", "-e").out().lines())
                .containsExactly("world", "again");
        assertThat(Cli.run("consume", "-b", b, "-t", "greetings", "--offset", "-1", "-e").out().lines())
                .containsExactly("again");
        assertThat(Cli.run("consume", "-b", b, "-t", "greetings", "--from-beginning", "--max", "2").out().lines())
                .containsExactly("hello", "world");
    }

    @Test
    void timestampStartsAtTheFirstRecordAtOrAfterIt() {
        final String b = BROKER.bootstrap();
        assertThat(Cli.run("consume", "-b", b, "-t", "greetings", "--timestamp", "0", "-e").out().lines())
                .hasSize(3);
        assertThat(Cli.run("consume", "-b", b, "-t", "greetings", "--timestamp", "2999-01-01T00:00:00Z", "-e")
                .out()).isEmpty();
    }

    @Test
    void endWithoutFromBeginningPrintsNothingAndExits() {
        final Cli.Result r = Cli.run("consume", "-b", BROKER.bootstrap(), "-t", "greetings", "-e");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void jsonAndAvroValuesRoundTrip() throws IOException {
        final String b = BROKER.bootstrap();
        final Path schema = Files.writeString(dir.resolve("o.avsc"), "{\"type\":\"record\",\"name\":\"Order\","
                + "\"fields\":[{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"item\",\"type\":\"string\"}]}");
        final Path avro = Files.writeString(dir.resolve("a.json"), "{\"id\": 7, \"item\": \"tea\"}\n");
        assertThat(Cli.run("produce", "-b", b, "-t", "avro-rt", "-f", avro.toString(), "--format", "avro",
                "--schema", schema.toString()).exit()).isZero();
        final Cli.Result r = Cli.run("consume", "-b", b, "-t", "avro-rt", "--from-beginning", "-e",
                "--value-format", "avro", "--schema", schema.toString());
        assertThat(r.out().lines()).containsExactly("{\"id\": 7, \"item\": \"tea\"}");

        final Path json = Files.writeString(dir.resolve("j.json"), "{ \"a\" : 1 }\n");
        assertThat(Cli.run("produce", "-b", b, "-t", "json-rt", "-f", json.toString(), "--format", "json").exit())
                .isZero();
        assertThat(Cli.run("consume", "-b", b, "-t", "json-rt", "--from-beginning", "-e").out().lines())
                .containsExactly("{\"a\":1}");
    }

    @Test
    void unknownTopicIsOneLineAndExitOne() {
        final Cli.Result r = Cli.run("consume", "-b", BROKER.bootstrap(), "-t", "no-such-topic", "-e");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("skiff consume: ").contains("no-such-topic");
    }

    @Test
    void badFormatTokenAndConflictingStartsAreBadArguments() {
        final String b = BROKER.bootstrap();
        final Cli.Result token = Cli.run("consume", "-b", b, "-t", "greetings", "--format", "%x");
        assertThat(token.exit()).isEqualTo(2);
        assertThat(token.err()).contains("unknown format token %x");
        final Cli.Result both = Cli.run("consume", "-b", b, "-t", "greetings", "--from-beginning", "--offset", "3");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(Cli.run("consume", "-b", b, "-t", "greetings", "--timestamp", "yesterday").exit()).isEqualTo(2);
    }

    @Test
    void unreachableBrokerIsOneClearLineFast() {
        final Cli.Result r = Cli.run("consume", "-b", Cli.closedPort(), "-t", "x");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString().startsWith("skiff consume: cannot reach a broker");
    }
}

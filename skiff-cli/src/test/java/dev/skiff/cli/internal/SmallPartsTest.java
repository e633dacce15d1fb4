package dev.skiff.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.client.serde.Headers;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SmallPartsTest {

    @Test
    void ordersAreDeterministicAndKeyedByCustomer() {
        assertThat(Orders.order(42)).isEqualTo(Orders.order(42));
        assertThat(Orders.order(42).customer()).isEqualTo(Orders.key(42));
        assertThat(Orders.key(0)).isEqualTo("customer-0000");
        final java.util.Set<String> keys = new java.util.HashSet<>();
        for (int i = 0; i < Orders.CUSTOMERS; i++) {
            keys.add(Orders.key(i));
        }
        assertThat(keys).as("the first CUSTOMERS orders come from distinct customers").hasSize(Orders.CUSTOMERS);
    }

    @Test
    void checksumIgnoresOrderButSeesContent() {
        final Checksum a = new Checksum();
        a.add("x".getBytes(StandardCharsets.UTF_8));
        a.add("y".getBytes(StandardCharsets.UTF_8));
        a.add(null);
        final Checksum b = new Checksum();
        b.add(null);
        b.add("y".getBytes(StandardCharsets.UTF_8));
        b.add("x".getBytes(StandardCharsets.UTF_8));
        assertThat(a.value()).isEqualTo(b.value());
        b.add(new byte[0]);
        assertThat(a.value()).isNotEqualTo(b.value() + 1).isNotEqualTo(new Checksum().value());
    }

    @Test
    void reachabilityNamesTheAddressAndRejectsMalformedOnes() {
        assertThat(Reachability.check("127.0.0.1:1", 1000)).startsWith("cannot reach a broker at 127.0.0.1:1 (");
        assertThat(Reachability.check("localhost", 1000)).contains("expected HOST:PORT");
        assertThat(Reachability.check("h:port", 1000)).contains("invalid port");
    }

    @Test
    void reachabilityAcceptsAListeningPort() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            assertThat(Reachability.check("127.0.0.1:1,127.0.0.1:" + server.getLocalPort(), 1000)).isNull();
        }
    }

    @Test
    void jsonLinesAreValidatedAndCompacted() throws Exception {
        final LineEncoder json = LineEncoder.of(Format.JSON, null);
        assertThat(new String(json.encode("t", new Headers(), "{ \"a\" : [1, 2] }"), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":[1,2]}");
        assertThatThrownBy(() -> json.encode("t", new Headers(), "{oops")).hasMessageStartingWith("not valid JSON");
    }

    @Test
    void avroLinesUseTheSingleObjectEncoding(@TempDir Path dir) throws Exception {
        final Path schema = Files.writeString(dir.resolve("s.avsc"),
                "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}");
        final byte[] bytes = LineEncoder.of(Format.AVRO, schema).encode("t", new Headers(), "{\"n\": 7}");
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(bytes).hasSize(2 + 8 + 1);
        final Path bad = Files.writeString(dir.resolve("bad.avsc"), "{\"type\":\"nope\"}");
        assertThatThrownBy(() -> LineEncoder.of(Format.AVRO, bad)).hasMessageStartingWith("invalid Avro schema");
    }

    @Test
    void lineSourceHandsOverEveryLineThenEnds() throws Exception {
        final LineSource source = LineSource.start(new ByteArrayInputStream("a\nb\n\nc\n".getBytes(StandardCharsets.UTF_8)));
        final List<String> all = new ArrayList<>();
        List<String> chunk;
        while ((chunk = source.poll(1000)) != null) {
            all.addAll(chunk);
        }
        assertThat(all).containsExactly("a", "b", "", "c");
        assertThat(source.bytesRead()).isEqualTo(7);
    }

    @Test
    void progressBarShowsFractionRatesAndEndsTheLine() {
        final StringWriter text = new StringWriter();
        final AtomicLong records = new AtomicLong();
        final Progress p = Progress.builder(Terminal.interactive(80, false), new PrintWriter(text))
                .label("sending").records(records::get, 1000).bytes(() -> records.get() * 100).start();
        records.set(1000);
        p.close();
        assertThat(text.toString()).startsWith("\rsending [").contains("100% 1,000/1,000").contains("rec/s")
                .endsWith(System.lineSeparator()).doesNotContain("\u001b[");
    }

    @Test
    void plainProgressPrintsNothingOnCloseAndNoCarriageReturns() {
        final StringWriter text = new StringWriter();
        final Progress p = Progress.builder(Terminal.plain(), new PrintWriter(text)).records(() -> 5, -1).start();
        p.close();
        assertThat(text.toString()).isEmpty();
    }
}

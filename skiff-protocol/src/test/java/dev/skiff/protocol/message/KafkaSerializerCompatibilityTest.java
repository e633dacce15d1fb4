package dev.skiff.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.skiff.generator.spec.MessageSpec;
import dev.skiff.protocol.ApiMessage;
import dev.skiff.protocol.ByteBufferAccessor;
import dev.skiff.protocol.MessageCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every version of every spec, against Kafka's own generated serializers, in both directions:
 *
 * <ol>
 *   <li>random content written by Kafka is read by Skiff and written back byte for byte, with
 *       {@code size()} equal to the length and the decoded object equal to the same content built
 *       directly;</li>
 *   <li>random content written by Skiff is read by Kafka and Kafka writes back the same bytes.</li>
 * </ol>
 */
class KafkaSerializerCompatibilityTest {
    /** Random messages per spec, version and direction. */
    private static final int ROUNDS = 12;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyVersionOfEveryMessageRoundTripsByteForByteWithKafka() throws Exception {
        int specs = 0;
        int versions = 0;
        int roundTrips = 0;
        final List<String> withoutCounterpart = new ArrayList<>();
        for (MessageSpec spec : SpecCatalog.all()) {
            final Class<?> kafka;
            try {
                kafka = Class.forName(SpecCatalog.kafkaClassName(spec));
            } catch (ClassNotFoundException e) {
                // Kafka drops the classes of APIs whose every version was removed; nothing to compare.
                assertThat(spec.validVersions().isEmpty()).as("%s has versions but no Kafka class", spec.name())
                    .isTrue();
                withoutCounterpart.add(spec.name());
                continue;
            }
            final Class<?> skiff = Class.forName(SpecCatalog.skiffClassName(spec));
            specs++;
            for (int v = spec.validVersions().lowest(); v <= spec.validVersions().highest(); v++) {
                final short version = (short) v;
                versions++;
                for (int round = 0; round < ROUNDS; round++) {
                    final long seed = spec.name().hashCode() * 1_000_003L + version * 1_009L + round;
                    kafkaToSkiff(spec, kafka, skiff, version, seed);
                    skiffToKafka(spec, kafka, skiff, version, seed ^ 0x5DEECE66DL);
                    roundTrips += 2;
                }
            }
        }
        System.out.printf("Kafka serializer compatibility: %d messages, %d (message, version) pairs, %d round"
            + " trips; no versions left and no Kafka class: %s%n", specs, versions, roundTrips, withoutCounterpart);
        assertThat(specs).isGreaterThan(190);
        assertThat(versions).isGreaterThan(600);
    }

    private static void kafkaToSkiff(MessageSpec spec, Class<?> kafka, Class<?> skiff, short version, long seed)
        throws ReflectiveOperationException {
        final RandomTree.StructValue tree = new RandomTree(spec, seed).message(version);
        final Message kafkaMessage = (Message) new ReflectiveBuilder(ReflectiveBuilder.Flavor.KAFKA)
            .build(kafka, tree);
        final byte[] kafkaBytes = kafkaBytes(kafkaMessage, version);

        final ApiMessage decoded = (ApiMessage) skiff.getConstructor().newInstance();
        final ByteBuffer input = ByteBuffer.wrap(kafkaBytes);
        try {
            decoded.read(new ByteBufferAccessor(input), version);
        } catch (RuntimeException e) {
            throw new AssertionError(context("Skiff cannot read Kafka's", spec, version, seed, kafkaMessage), e);
        }
        check(input.remaining() == 0, "Skiff left bytes unread", spec, version, seed, kafkaMessage);
        check(decoded.size(version) == kafkaBytes.length, "Skiff size() differs from Kafka's length", spec,
            version, seed, kafkaMessage);
        final byte[] skiffBytes = MessageCodec.toBytes(decoded, version);
        if (!Arrays.equals(skiffBytes, kafkaBytes)) {
            fail(context("Skiff re-encodes Kafka's bytes differently", spec, version, seed, kafkaMessage)
                + "\n kafka: " + Arrays.toString(kafkaBytes) + "\n skiff: " + Arrays.toString(skiffBytes));
        }
        final Object expected = new ReflectiveBuilder(ReflectiveBuilder.Flavor.SKIFF).build(skiff, tree);
        check(decoded.equals(expected), "decoded object differs from the one built from the same values",
            spec, version, seed, decoded + " vs " + expected);
        check(decoded.hashCode() == expected.hashCode(), "equal objects with different hash codes", spec,
            version, seed, decoded);
    }

    private static void skiffToKafka(MessageSpec spec, Class<?> kafka, Class<?> skiff, short version, long seed)
        throws ReflectiveOperationException {
        final RandomTree.StructValue tree = new RandomTree(spec, seed).message(version);
        final ApiMessage skiffMessage = (ApiMessage) new ReflectiveBuilder(ReflectiveBuilder.Flavor.SKIFF)
            .build(skiff, tree);
        final byte[] skiffBytes = MessageCodec.toBytes(skiffMessage, version);

        final Message decoded = (Message) kafka.getConstructor().newInstance();
        final ByteBuffer input = ByteBuffer.wrap(skiffBytes);
        try {
            decoded.read(new org.apache.kafka.common.protocol.ByteBufferAccessor(input), version);
        } catch (RuntimeException e) {
            throw new AssertionError(context("Kafka cannot read Skiff's", spec, version, seed, skiffMessage), e);
        }
        check(input.remaining() == 0, "Kafka left bytes unread", spec, version, seed, skiffMessage);
        final byte[] kafkaBytes = kafkaBytes(decoded, version);
        if (!Arrays.equals(skiffBytes, kafkaBytes)) {
            fail(context("Kafka re-encodes Skiff's bytes differently", spec, version, seed, skiffMessage)
                + "\n skiff: " + Arrays.toString(skiffBytes) + "\n kafka: " + Arrays.toString(kafkaBytes));
        }
    }

    private static byte[] kafkaBytes(Message message, short version) {
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final ByteBuffer buf = ByteBuffer.allocate(message.size(cache, version));
        message.write(new org.apache.kafka.common.protocol.ByteBufferAccessor(buf), cache, version);
        return buf.array();
    }

    private static void check(boolean ok, String what, MessageSpec spec, short version, long seed, Object subject) {
        if (!ok) {
            fail(context(what, spec, version, seed, subject));
        }
    }

    private static String context(String what, MessageSpec spec, short version, long seed, Object subject) {
        return what + ": " + spec.name() + " v" + version + " (seed " + seed + ")\n " + subject;
    }
}

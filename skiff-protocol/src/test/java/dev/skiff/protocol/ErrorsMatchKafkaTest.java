package dev.skiff.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.Test;

/** Skiff's error codes against {@code org.apache.kafka.common.protocol.Errors}. */
class ErrorsMatchKafkaTest {

    @Test
    void everyCodeHasKafkasNameAndRetriability() {
        for (Errors ours : Errors.values()) {
            final org.apache.kafka.common.protocol.Errors kafka =
                org.apache.kafka.common.protocol.Errors.forCode(ours.code());
            assertThat(kafka.code()).as("Kafka knows code %s (%s)", ours.code(), ours).isEqualTo(ours.code());
            assertThat(ours.name()).as("name of code %s", ours.code()).isEqualTo(kafka.name());
            final boolean kafkaRetriable = kafka.exception() instanceof RetriableException;
            assertThat(ours.isRetriable()).as("retriability of %s", ours).isEqualTo(kafkaRetriable);
        }
    }

    @Test
    void everyKafkaCodeIsKnown() {
        final Set<Short> ours = new HashSet<>();
        for (Errors e : Errors.values()) {
            ours.add(e.code());
        }
        for (org.apache.kafka.common.protocol.Errors kafka : org.apache.kafka.common.protocol.Errors.values()) {
            assertThat(ours).as("Skiff defines %s (%s)", kafka.code(), kafka).contains(kafka.code());
            assertThat(Errors.forCode(kafka.code()).name()).isEqualTo(kafka.name());
        }
    }

    @Test
    void unknownCodesMapToUnknownServerError() {
        assertThat(Errors.forCode((short) 30_000)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.forCode((short) -2)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.forCode((short) 0)).isEqualTo(Errors.NONE);
    }
}

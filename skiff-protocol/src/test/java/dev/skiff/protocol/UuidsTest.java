package dev.skiff.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class UuidsTest {

    @Test
    void textFormMatchesKafkas() {
        for (int i = 0; i < 100; i++) {
            final Uuid kafka = Uuid.randomUuid();
            final UUID ours = new UUID(kafka.getMostSignificantBits(), kafka.getLeastSignificantBits());
            assertThat(Uuids.toBase64(ours)).isEqualTo(kafka.toString());
            assertThat(Uuids.fromBase64(kafka.toString())).isEqualTo(ours);
        }
        assertThat(Uuids.toBase64(Uuids.ZERO)).isEqualTo(Uuid.ZERO_UUID.toString());
    }

    @Test
    void textThatIsNotSixteenBytesIsRejected() {
        assertThatThrownBy(() -> Uuids.fromBase64("AAAA")).isInstanceOf(IllegalArgumentException.class);
    }
}

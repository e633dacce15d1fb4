package dev.skiff.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.generator.spec.MessageKind;
import dev.skiff.generator.spec.MessageSpec;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated {@link ApiKeys} against Kafka's {@code org.apache.kafka.common.protocol.ApiKeys}. */
class ApiKeysMatchKafkaTest {

    @Test
    void idsNamesVersionRangesAndHeaderVersionsMatchKafka() {
        int compared = 0;
        for (org.apache.kafka.common.protocol.ApiKeys kafka : org.apache.kafka.common.protocol.ApiKeys.values()) {
            final ApiKeys ours = ApiKeys.forId(kafka.id);
            assertThat(ours).as("Skiff knows API %s (%s)", kafka.id, kafka).isNotNull();
            assertThat(ours.name()).isEqualTo(kafka.name());
            assertThat(ours.messageName()).isEqualTo(kafka.name);
            assertThat(ours.oldestVersion()).as("oldest version of %s", ours).isEqualTo(kafka.oldestVersion());
            assertThat(ours.latestVersion()).as("latest version of %s", ours).isEqualTo(kafka.latestVersion(true));
            assertThat(ours.latestVersionUnstable()).isEqualTo(kafka.messageType.latestVersionUnstable());
            for (short v = ours.oldestVersion(); v <= ours.latestVersion(); v++) {
                assertThat(ours.requestHeaderVersion(v)).as("request header of %s v%s", ours, v)
                    .isEqualTo(kafka.requestHeaderVersion(v));
                assertThat(ours.responseHeaderVersion(v)).as("response header of %s v%s", ours, v)
                    .isEqualTo(kafka.responseHeaderVersion(v));
                assertThat(ours.isFlexible(v)).isEqualTo(kafka.requestHeaderVersion(v) >= 2);
                assertThat(ours.isVersionSupported(v)).isTrue();
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(300);
    }

    @Test
    void everyRequestSpecHasAConstantThatBuildsItsMessages() {
        final Set<Integer> requestKeys = new HashSet<>();
        for (MessageSpec spec : SpecCatalog.all()) {
            if (spec.kind() == MessageKind.REQUEST) {
                requestKeys.add((int) spec.apiKey());
                final ApiKeys key = ApiKeys.forId(spec.apiKey());
                assertThat(key.newRequest()).isInstanceOf(classOf(spec));
                assertThat(key.newRequest().apiKey()).isEqualTo(spec.apiKey());
                assertThat(key.newResponse().apiKey()).isEqualTo(spec.apiKey());
                assertThat(key.newResponse().getClass().getSimpleName()).endsWith("ResponseData");
            }
        }
        assertThat(ApiKeys.values()).hasSize(requestKeys.size());
    }

    @Test
    void unknownIdsGiveNull() {
        assertThat(ApiKeys.forId(-1)).isNull();
        assertThat(ApiKeys.forId(10_000)).isNull();
        assertThat(ApiKeys.forId(0)).isEqualTo(ApiKeys.PRODUCE);
        assertThat(ApiKeys.forId(18)).isEqualTo(ApiKeys.API_VERSIONS);
    }

    @Test
    void apiVersionsResponsesAlwaysUseHeaderVersionZero() {
        assertThat(ApiKeys.API_VERSIONS.isFlexible((short) 3)).isTrue();
        assertThat(ApiKeys.API_VERSIONS.requestHeaderVersion((short) 3)).isEqualTo((short) 2);
        assertThat(ApiKeys.API_VERSIONS.responseHeaderVersion((short) 3)).isEqualTo((short) 0);
        assertThat(ApiKeys.METADATA.responseHeaderVersion((short) 9)).isEqualTo((short) 1);
        assertThat(ApiKeys.METADATA.responseHeaderVersion((short) 8)).isEqualTo((short) 0);
    }

    private static Class<?> classOf(MessageSpec spec) {
        try {
            return Class.forName(SpecCatalog.skiffClassName(spec));
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}

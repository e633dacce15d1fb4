package dev.skiff.client.internal;

import dev.skiff.protocol.message.MetadataResponseData;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetadataTest {
    private static MetadataResponseData answerWithoutTopics() {
        final List<MetadataResponseData.MetadataResponseBroker> brokers = new ArrayList<>();
        brokers.add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost("127.0.0.1").setPort(9092));
        return new MetadataResponseData().setBrokers(brokers).setTopics(new ArrayList<>());
    }

    @Test
    void aTopicAddedWhileARequestIsInFlightKeepsTheNextUpdateDue() {
        final Metadata metadata = new Metadata(List.of("127.0.0.1:9092"), 300_000);
        assertThat(metadata.updateDue(0)).isTrue();
        metadata.updateSent();
        // The producer's first send arrives after the first Metadata request left without its topic.
        metadata.add("orders");
        metadata.update(answerWithoutTopics(), 1);
        assertThat(metadata.topic("orders")).isNull();
        assertThat(metadata.updateDue(2)).as("the answer did not cover 'orders', so another update is due")
                .isTrue();
    }

    @Test
    void anAnswerCoveringEverythingAskedEndsTheUpdate() {
        final Metadata metadata = new Metadata(List.of("127.0.0.1:9092"), 300_000);
        metadata.add("orders");
        metadata.updateSent();
        metadata.update(answerWithoutTopics(), 1);
        assertThat(metadata.updateDue(2)).isFalse();
    }

    @Test
    void staleViewReportedDuringAFlightIsRefreshedAgain() {
        final Metadata metadata = new Metadata(List.of("127.0.0.1:9092"), 300_000);
        metadata.updateSent();
        metadata.requestUpdate();
        metadata.update(answerWithoutTopics(), 1);
        assertThat(metadata.updateDue(2)).isTrue();
    }
}

package dev.skiff.client.producer;

import dev.skiff.broker.Broker;
import dev.skiff.broker.BrokerConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Test helper: a Skiff broker in-process plus kafka-clients oracles to create topics and read back. */
final class EmbeddedBroker implements AutoCloseable {
    final Broker broker;
    private final EmbeddedBrokerView view;

    EmbeddedBroker(Path dir, Map<String, String> overrides) {
        this.broker = Broker.start(BrokerConfig.builder().logDir(dir).listener("127.0.0.1", 0).setAll(overrides)
                .build());
        this.view = new EmbeddedBrokerView(broker);
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    void createTopic(String name, int partitions) throws Exception {
        view.createTopic(name, partitions);
    }

    List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int partitions, int expected) {
        return view.readAll(topic, partitions, expected);
    }

    @Override
    public void close() {
        broker.close();
    }
}

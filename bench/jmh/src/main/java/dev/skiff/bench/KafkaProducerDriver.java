package dev.skiff.bench;

import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * bench/producer-bench.sh's driver for kafka-clients' KafkaProducer (the reference); same options, same
 * load and same settings as {@link SkiffProducerDriver}.
 */
public final class KafkaProducerDriver {
    private KafkaProducerDriver() {
    }

    public static void main(String[] args) throws Exception {
        final DriverOptions o = DriverOptions.parse(args);
        final Map<String, Object> props = LoadLoop.settings(o);
        props.put("bootstrap.servers", o.bootstrap);
        final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer());
        try (ProducerAdapter adapter = new ProducerAdapter() {
            @Override
            public void send(String topic, byte[] value, long startNanos, Completion completion) {
                producer.send(new ProducerRecord<>(topic, null, value),
                        (md, e) -> completion.done(startNanos, e == null));
            }

            @Override
            public void flush() {
                producer.flush();
            }

            @Override
            public void close() {
                producer.close();
            }
        }) {
            LoadLoop.run("kafka", o, adapter);
        }
    }
}

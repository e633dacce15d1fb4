package dev.skiff.bench;

import dev.skiff.client.producer.Producer;
import dev.skiff.client.producer.ProducerConfig;
import dev.skiff.client.producer.ProducerRecord;
import dev.skiff.client.serde.ByteArraySerializer;

/**
 * bench/producer-bench.sh's driver for the Skiff producer; see {@link DriverOptions} for the options and
 * {@link LoadLoop} for what is measured. Settings given with {@code --set} go to ProducerConfig verbatim.
 */
public final class SkiffProducerDriver {
    private SkiffProducerDriver() {
    }

    public static void main(String[] args) throws Exception {
        final DriverOptions o = DriverOptions.parse(args);
        final ProducerConfig config = ProducerConfig.builder().setAll(LoadLoop.settings(o))
                .bootstrapServers(o.bootstrap).build();
        final Producer<byte[], byte[]> producer = Producer.create(config, new ByteArraySerializer(),
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
            LoadLoop.run("skiff", o, adapter);
        }
    }
}

package dev.skiff.client.producer;

import dev.skiff.client.serde.Serializer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends records to Kafka-protocol brokers (Skiff's or Apache Kafka's). Thread-safe: share one
 * instance among every thread of an application, virtual threads included.
 *
 * <pre>{@code
 * try (Producer<String, String> producer = Producer.create(
 *         ProducerConfig.builder().bootstrapServers("127.0.0.1:9092").build(),
 *         new StringSerializer(), new StringSerializer())) {
 *     producer.send(new ProducerRecord<>("orders", "key", "value"))
 *             .thenAccept(md -> System.out.println("offset " + md.offset()));
 * }
 * }</pre>
 *
 * {@code send} never waits for the network, not even for a new topic's metadata: records wait inside
 * the producer until their partition is known. It blocks only while buffer.memory is full, for at
 * most max.block.ms; {@link #trySend} fails at once instead. Failures are reported through the
 * returned future (and the callback), never thrown from {@code send}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface Producer<K, V> extends AutoCloseable {
    /** A producer with the given serializers (null = take them from key.serializer / value.serializer). */
    static <K, V> Producer<K, V> create(ProducerConfig config, Serializer<K> keySerializer,
                                        Serializer<V> valueSerializer) {
        return new SkiffProducer<>(config, keySerializer, valueSerializer);
    }

    /** Sends a record; the future completes when the broker acknowledges it or it fails. */
    CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record);

    /**
     * Sends a record and calls {@code callback} on the producer's sender thread once, before the
     * returned future completes.
     */
    CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback);

    /**
     * Like {@link #send}, but when buffer.memory is full the future fails at once with
     * {@link BufferExhaustedException} instead of waiting.
     */
    CompletableFuture<RecordMetadata> trySend(ProducerRecord<K, V> record);

    /** Sends everything buffered now (ignoring linger.ms) and waits until every record sent before completes. */
    void flush();

    /** Delivers what is pending, then releases threads, sockets and buffers. Idempotent. */
    @Override
    void close();

    /**
     * Like {@link #close()}, but waits at most {@code timeout} for pending records; those still
     * undelivered then fail with {@link ProducerClosedException}.
     */
    void close(Duration timeout);

    /** Counters since the producer was created. */
    ProducerMetrics metrics();
}

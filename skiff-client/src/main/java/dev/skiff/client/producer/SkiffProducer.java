package dev.skiff.client.producer;

import dev.skiff.client.internal.Metadata;
import dev.skiff.client.internal.NetworkClient;
import dev.skiff.client.producer.internal.BufferPool;
import dev.skiff.client.producer.internal.ProducerStats;
import dev.skiff.client.producer.internal.RecordAccumulator;
import dev.skiff.client.producer.internal.RecordRouter;
import dev.skiff.client.producer.internal.Sender;
import dev.skiff.client.serde.SerializationException;
import dev.skiff.client.serde.Serializer;
import dev.skiff.protocol.record.Header;
import dev.skiff.protocol.record.RecordBatchBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Skiff producer: serializes on the caller's thread, partitions, appends to the accumulator, and
 * leaves the network to one background sender thread (see {@link Producer} for the contract).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class SkiffProducer<K, V> implements Producer<K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(SkiffProducer.class);

    private final ProducerConfig config;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final Partitioner partitioner;
    private final BufferPool pool;
    private final RecordRouter router;
    private final RecordAccumulator accumulator;
    private final Sender sender;
    private final Thread senderThread;
    private final ProducerStats stats = new ProducerStats();
    private volatile boolean closed;

    /**
     * @param keySerializer   null to instantiate key.serializer from the config
     * @param valueSerializer null to instantiate value.serializer from the config
     * @throws ConfigException when a serializer is missing or cannot be created
     */
    public SkiffProducer(ProducerConfig config, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this.config = Objects.requireNonNull(config, "config");
        this.keySerializer = keySerializer != null ? keySerializer
                : instantiate(ProducerConfig.KEY_SERIALIZER, config.keySerializer(), Serializer.class, true);
        this.valueSerializer = valueSerializer != null ? valueSerializer
                : instantiate(ProducerConfig.VALUE_SERIALIZER, config.valueSerializer(), Serializer.class, true);
        if (keySerializer != null) {
            keySerializer.configure(config.originals(), true);
        }
        if (valueSerializer != null) {
            valueSerializer.configure(config.originals(), false);
        }
        this.partitioner = config.partitionerClass() == null ? null
                : instantiate(ProducerConfig.PARTITIONER_CLASS, config.partitionerClass(), Partitioner.class, false);
        final int poolable = Math.max(config.batchSize(), RecordBatchBuilder.estimateBatchSize(-1, -1, null));
        this.pool = new BufferPool(config.bufferMemory(), poolable);
        this.accumulator = new RecordAccumulator(pool, config.batchSize(), config.compressionType());
        final Metadata metadata = new Metadata(config.bootstrapServers(), config.metadataMaxAgeMs());
        final NetworkClient network = new NetworkClient(config.clientId(), config.requestTimeoutMs(),
                config.reconnectBackoffMs(), config.reconnectBackoffMaxMs());
        final Sender[] holder = new Sender[1];
        this.router = new RecordRouter(accumulator, partitioner, config.partitionerIgnoreKeys(), config.batchSize(),
                config.adaptivePartitioning(), () -> holder[0].wakeup());
        this.sender = new Sender(config, metadata, network, accumulator, router, stats);
        holder[0] = sender;
        this.senderThread = new Thread(sender, "skiff-producer-" + config.clientId());
        senderThread.setDaemon(true);
        senderThread.start();
    }

    @SuppressWarnings("unchecked")
    private <T> T instantiate(String key, Object spec, Class<?> type, boolean serializer) {
        if (spec == null) {
            throw new ConfigException("Missing configuration " + key + ": pass a serializer to the constructor or "
                    + "name a class implementing " + type.getName());
        }
        Object instance = spec;
        try {
            if (spec instanceof String) {
                instance = Class.forName((String) spec).getDeclaredConstructor().newInstance();
            } else if (spec instanceof Class) {
                instance = ((Class<?>) spec).getDeclaredConstructor().newInstance();
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ConfigException("Invalid value " + spec + " for configuration " + key + ": cannot create it ("
                    + e + "); it must be a public class with a public no-argument constructor", e);
        }
        if (!type.isInstance(instance)) {
            throw ConfigException.invalid(key, spec, "a class implementing " + type.getName());
        }
        if (serializer) {
            ((Serializer<?>) instance).configure(config.originals(), key.equals(ProducerConfig.KEY_SERIALIZER));
        }
        return (T) instance;
    }

    @Override
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
        return doSend(record, null, true);
    }

    @Override
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        return doSend(record, callback, true);
    }

    @Override
    public CompletableFuture<RecordMetadata> trySend(ProducerRecord<K, V> record) {
        return doSend(record, null, false);
    }

    private CompletableFuture<RecordMetadata> doSend(ProducerRecord<K, V> record, Callback callback,
                                                     boolean blocking) {
        Objects.requireNonNull(record, "record");
        final CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        if (closed) {
            return fail(future, callback, new ProducerClosedException("Cannot send to topic '" + record.topic()
                    + "': the producer is closed"));
        }
        final ProducerException fatal = sender.fatalError();
        if (fatal != null) {
            return fail(future, callback, fatal);
        }
        final String topic = record.topic();
        final byte[] keyBytes;
        final byte[] valueBytes;
        try {
            keyBytes = keySerializer.serialize(topic, record.headers(), record.key());
            valueBytes = valueSerializer.serialize(topic, record.headers(), record.value());
        } catch (RuntimeException e) {
            final RuntimeException wrapped = e instanceof SerializationException ? e
                    : new SerializationException("Serializer failed for a record to topic '" + topic + "': " + e, e);
            return fail(future, callback, wrapped);
        }
        record.headers().seal();
        final Header[] headers = record.headers().toArray();
        final int keySize = keyBytes == null ? -1 : keyBytes.length;
        final int valueSize = valueBytes == null ? -1 : valueBytes.length;
        final int size = RecordBatchBuilder.estimateBatchSize(keySize, valueSize, headers);
        if (size > config.maxRequestSize()) {
            return fail(future, callback, new RecordTooLargeException("The record to topic '" + topic + "' is "
                    + size + " bytes when serialized, more than max.request.size=" + config.maxRequestSize()
                    + ": raise max.request.size (and the broker's message.max.bytes) or send smaller records"));
        }
        if (size > config.bufferMemory()) {
            return fail(future, callback, new RecordTooLargeException("The record to topic '" + topic + "' is "
                    + size + " bytes when serialized, more than buffer.memory=" + config.bufferMemory()
                    + ": raise buffer.memory or send smaller records"));
        }
        final long now = System.currentTimeMillis();
        final long timestamp = record.timestamp() != null ? record.timestamp() : now;
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.maxBlockMs());
        while (true) {
            final int needed = router.append(topic, record.partition(), record.key(), record.value(), keyBytes,
                    valueBytes, headers, timestamp, future, callback, System.currentTimeMillis());
            if (needed == RecordRouter.DONE) {
                return future;
            }
            if (!blocking) {
                return fail(future, callback, new BufferExhaustedException("buffer.memory=" + config.bufferMemory()
                        + " is full (" + pool.availableMemory() + " bytes free, " + needed + " needed); trySend does "
                        + "not wait: retry later, use send, or raise buffer.memory"));
            }
            if (closed) {
                return fail(future, callback, new ProducerClosedException("The producer closed while a record to '"
                        + topic + "' waited for buffer memory"));
            }
            try {
                if (!pool.awaitAvailable(needed, deadline)) {
                    return fail(future, callback, new BufferExhaustedException("Waited max.block.ms="
                            + config.maxBlockMs() + " for " + needed + " bytes of buffer.memory="
                            + config.bufferMemory()
                            + ": records are produced faster than the brokers take them; raise buffer.memory or "
                            + "max.block.ms, or slow down"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail(future, callback, new ProducerException("Interrupted while waiting for buffer memory", e));
            }
        }
    }

    private static CompletableFuture<RecordMetadata> fail(CompletableFuture<RecordMetadata> future, Callback callback,
                                                          RuntimeException e) {
        if (callback != null) {
            try {
                callback.onCompletion(null, e);
            } catch (RuntimeException ex) {
                LOG.error("Producer callback threw", ex);
            }
        }
        future.completeExceptionally(e);
        return future;
    }

    @Override
    public void flush() {
        if (Thread.currentThread() == senderThread) {
            throw new IllegalStateException("flush() from a callback would wait for itself; call it elsewhere");
        }
        sender.beginFlush();
        try {
            final List<CompletableFuture<?>> waits = new ArrayList<>(router.pendingFutures());
            waits.addAll(List.of(accumulator.incompleteFutures()));
            for (CompletableFuture<?> f : waits) {
                try {
                    f.join();
                } catch (RuntimeException ignored) {
                    // a failed record is reported through its own future; flush only waits
                }
            }
        } finally {
            sender.endFlush();
        }
    }

    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    @Override
    public void close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        synchronized (this) {
            if (closed && !senderThread.isAlive()) {
                return;
            }
            closed = true;
        }
        if (Thread.currentThread() == senderThread) {
            // From a callback: waiting would deadlock, so stop without delivering the rest (as Kafka does).
            sender.forceClose();
            return;
        }
        sender.initiateClose();
        try {
            final long ms = timeout.toMillis();
            if (ms > 0) {
                senderThread.join(ms);
            }
            if (senderThread.isAlive()) {
                sender.forceClose();
                senderThread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sender.forceClose();
        } finally {
            pool.close();
            closeQuietly(keySerializer);
            closeQuietly(valueSerializer);
            closeQuietly(partitioner);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Closing {} failed", c.getClass().getName(), e);
        }
    }

    @Override
    public ProducerMetrics metrics() {
        return stats.snapshot();
    }

    /** The configuration in force. */
    public ProducerConfig config() {
        return config;
    }
}

package dev.skiff.client.producer;

/**
 * Called once when a record is acknowledged or fails, on the producer's sender thread: keep it short
 * and never block in it (hand work to another executor instead).
 */
@FunctionalInterface
public interface Callback {
    /**
     * @param metadata  the record's position, or null when it failed
     * @param exception null on success, else why the record was not delivered
     */
    void onCompletion(RecordMetadata metadata, Exception exception);
}

package dev.skiff.bench;

/** The one thing a driver needs from a producer: send a keyless value, report completion, flush, close. */
interface ProducerAdapter extends AutoCloseable {
    /** Called once per record, on the producer's own thread, when the broker answered or the send failed. */
    @FunctionalInterface
    interface Completion {
        void done(long startNanos, boolean ok);
    }

    void send(String topic, byte[] value, long startNanos, Completion completion);

    void flush();

    @Override
    void close();
}

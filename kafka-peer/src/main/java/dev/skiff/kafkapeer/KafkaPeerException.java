package dev.skiff.kafkapeer;

/**
 * An Apache Kafka peer could not be prepared, started, stopped or reached.
 *
 * <p>Messages say which node failed, what was expected and, when a child process was involved, end with the
 * tail of its log so that a failed CI run explains itself without anyone fetching the temp directory.
 */
public class KafkaPeerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KafkaPeerException(String message) {
        super(message);
    }

    public KafkaPeerException(String message, Throwable cause) {
        super(message, cause);
    }
}

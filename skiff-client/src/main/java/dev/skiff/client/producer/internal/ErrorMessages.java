package dev.skiff.client.producer.internal;

import dev.skiff.client.producer.ProducerException;
import dev.skiff.client.producer.RecordTooLargeException;
import dev.skiff.protocol.Errors;

/**
 * Turns a broker error for a batch into an exception that says what happened and what to change.
 */
final class ErrorMessages {
    private ErrorMessages() {
    }

    static ProducerException forBatch(Errors error, String brokerMessage, TopicPartition tp, int batchBytes) {
        final String detail = brokerMessage == null || brokerMessage.isEmpty() ? ""
                : " (broker said: " + brokerMessage + ")";
        final String what;
        switch (error) {
            case MESSAGE_TOO_LARGE:
            case RECORD_LIST_TOO_LARGE:
                return new RecordTooLargeException("The broker rejected a batch of " + batchBytes + " bytes for " + tp
                        + " as too large (" + error + ")" + detail + ": lower batch.size and max.request.size below "
                        + "the broker's message.max.bytes (or the topic's max.message.bytes), or raise those",
                        error, null);
            case INVALID_TOPIC_EXCEPTION:
                what = "Topic '" + tp.topic() + "' has an invalid name: use up to 249 letters, digits, '.', '_' or '-'";
                break;
            case CORRUPT_MESSAGE:
                what = "The broker found the batch for " + tp + " corrupt (CRC or framing); this is a client or "
                        + "network fault, please report it";
                break;
            case TOPIC_AUTHORIZATION_FAILED:
                what = "Not authorized to write to topic '" + tp.topic() + "': grant this principal WRITE on it";
                break;
            case CLUSTER_AUTHORIZATION_FAILED:
                what = "Not authorized for idempotent writes: grant IDEMPOTENT_WRITE on the cluster or set "
                        + "enable.idempotence=false";
                break;
            case TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
                what = "The broker refused the producer id or transactional batch for " + tp
                        + ": this broker does not support it; set enable.idempotence=false if it persists";
                break;
            case UNSUPPORTED_COMPRESSION_TYPE:
                what = "The broker does not accept this compression type for " + tp + ": pick another compression.type";
                break;
            case INVALID_RECORD:
                what = "The broker refused a record of the batch for " + tp + " as invalid (for example a null key on "
                        + "a compacted topic)";
                break;
            case OUT_OF_ORDER_SEQUENCE_NUMBER:
                what = "The broker saw a gap in the idempotent sequence for " + tp + "; records may be lost or "
                        + "duplicated, the producer bumped its epoch and goes on";
                break;
            case INVALID_PRODUCER_EPOCH:
            case PRODUCER_FENCED:
                what = "The producer was fenced for " + tp + " by a newer instance with the same producer id";
                break;
            default:
                what = "The broker refused the batch for " + tp + " with " + error + ": " + error.message();
        }
        return new ProducerException(what + detail, error, null);
    }
}

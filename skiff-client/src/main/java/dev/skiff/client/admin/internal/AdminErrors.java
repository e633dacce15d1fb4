package dev.skiff.client.admin.internal;

import dev.skiff.client.admin.AdminException;
import dev.skiff.client.internal.ClientRequestException;
import dev.skiff.protocol.Errors;

/**
 * Turns broker error codes about a topic into {@link AdminException}s whose one-line message says what
 * happened and what to do, keeping the broker's own detail when it gave one.
 */
public final class AdminErrors {
    private AdminErrors() {
    }

    /**
     * @param action        what was attempted, e.g. "create topic"
     * @param topic         the topic concerned
     * @param error         the broker's error code, not NONE
     * @param brokerMessage the broker's errorMessage, or null
     */
    public static AdminException topic(String action, String topic, Errors error, String brokerMessage) {
        final String detail = brokerMessage == null || brokerMessage.isBlank() ? "" : " (" + brokerMessage + ")";
        final String q = "'" + topic + "'";
        switch (error) {
            case TOPIC_ALREADY_EXISTS:
                return new AdminException("Cannot " + action + ": topic " + q + " already exists; pick another name "
                        + "or delete it first", error);
            case UNKNOWN_TOPIC_OR_PARTITION:
            case UNKNOWN_TOPIC_ID:
                return new AdminException("Cannot " + action + ": topic " + q + " does not exist; list the topics "
                        + "to check the name", error);
            case INVALID_TOPIC_EXCEPTION:
                return new AdminException("Cannot " + action + ": topic name " + q + " is invalid" + detail
                        + "; use 1 to 249 characters from letters, digits, '.', '_' and '-' (not '.' or '..')",
                        error);
            case INVALID_PARTITIONS:
                return new AdminException("Cannot " + action + " " + q + ": invalid partition count" + detail
                        + "; a topic needs at least 1 partition, and partitions can only be added", error);
            case INVALID_REPLICATION_FACTOR:
                return new AdminException("Cannot " + action + " " + q + ": invalid replication factor" + detail
                        + "; use a value from 1 to the number of brokers (-1 for the broker default)", error);
            case INVALID_REPLICA_ASSIGNMENT:
                return new AdminException("Cannot " + action + " " + q + ": invalid replica assignment" + detail,
                        error);
            case INVALID_CONFIG:
                return new AdminException("Cannot " + action + " " + q + ": invalid configuration" + detail
                        + "; check the key names and values against the topic configs the broker supports", error);
            case TOPIC_DELETION_DISABLED:
                return new AdminException("Cannot " + action + " " + q + ": topic deletion is disabled on the "
                        + "broker; set delete.topic.enable=true there", error);
            case TOPIC_AUTHORIZATION_FAILED:
            case CLUSTER_AUTHORIZATION_FAILED:
                return new AdminException("Cannot " + action + " " + q + ": not authorized (" + error
                        + "); grant this principal the needed ACL", error);
            case POLICY_VIOLATION:
                return new AdminException("Cannot " + action + " " + q + ": the broker's policy refused it" + detail,
                        error);
            default:
                return new AdminException("Cannot " + action + " " + q + ": " + error + " ("
                        + (detail.isEmpty() ? error.message() : brokerMessage) + ")", error);
        }
    }

    /** The client-side failure as an AdminException with the same message. */
    public static AdminException network(ClientRequestException e) {
        return new AdminException(e.getMessage(), e.error(), e);
    }
}

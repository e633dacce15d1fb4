package dev.skiff.client.internal;

import dev.skiff.protocol.ApiMessage;

/**
 * Receives the outcome of one request, on the network thread. Exactly one of the two methods is
 * called once.
 */
public interface ResponseHandler {
    /**
     * @param response the decoded response body, or null for a request that expects none (acks=0),
     *                 called once it is written
     * @param latencyNanos time from enqueueing the request to its answer
     */
    void onResponse(ApiMessage response, long latencyNanos);

    /**
     * The connection broke, timed out or the answer could not be decoded before the response came.
     *
     * @param cause what happened; its message names the broker
     * @param timedOut true when request.timeout.ms elapsed without an answer
     */
    void onFailure(Exception cause, boolean timedOut);
}

package dev.skiff.client.producer;

/**
 * A snapshot of a producer's counters since it was created.
 *
 * @param recordsSent          records acknowledged
 * @param bytesSent            batch bytes acknowledged (as sent, after compression)
 * @param batchesSent          batches acknowledged
 * @param recordErrors         records that failed
 * @param retries              batch retries
 * @param requests             Produce requests sent
 * @param averageBatchBytes    bytes per acknowledged batch
 * @param compressionRatio     compressed / uncompressed bytes of acknowledged batches (1 = none)
 * @param requestLatencyP50Ms  Produce request latency, median
 * @param requestLatencyP99Ms  Produce request latency, 99th percentile
 * @param recordsPerSecond     recordsSent over the producer's lifetime so far
 * @param bytesPerSecond       bytesSent over the producer's lifetime so far
 */
public record ProducerMetrics(long recordsSent, long bytesSent, long batchesSent, long recordErrors, long retries,
                              long requests, double averageBatchBytes, double compressionRatio,
                              double requestLatencyP50Ms, double requestLatencyP99Ms, double recordsPerSecond,
                              double bytesPerSecond) {
}

package dev.skiff.storage.internal;

import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What {@link LogLoader} hands to a new partition log.
 *
 * @param segments           segments by base offset; the last is active, its indexes sized for appends
 * @param logEndOffset       next offset to assign
 * @param producers          producer state as of {@code logEndOffset}
 * @param segmentsRecovered  segments whose batches were scanned and indexes rebuilt (0 after a clean shutdown
 *                           with sane indexes)
 * @param bytesTruncated     bytes cut from torn or corrupt tails, including dropped later segments
 */
public record LoadedLog(ConcurrentSkipListMap<Long, LogSegment> segments, long logEndOffset,
                        ProducerStateTable producers, int segmentsRecovered, long bytesTruncated) {
}

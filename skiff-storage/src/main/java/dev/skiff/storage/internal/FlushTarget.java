package dev.skiff.storage.internal;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

/** Something the {@link Flusher} can make durable: a partition log. */
public interface FlushTarget {
    /**
     * fsyncs everything appended so far (on the flusher thread) and returns the offset below which all data is
     * now durable, its new recovery point.
     *
     * @param fsyncs counts each data-file fsync, so tests can see group commit at work
     */
    long flush(LongAdder fsyncs) throws IOException;

    /** Offset below which all data is already durable. */
    long durableOffset();

    /** For log messages. */
    String name();
}

package dev.skiff.cli.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lines of a stream (stdin or a file), read on a daemon thread and handed over in chunks.
 *
 * <p>Why a thread: a read from a terminal blocks until the user types, and Ctrl-C must still be able to
 * stop the command, flush what was sent and print the summary. The consumer polls with a timeout and
 * checks its stop flag in between; a reader stuck in {@code read} dies with the JVM.
 */
public final class LineSource {
    private static final int CHUNK = 512;
    private static final List<String> END = new ArrayList<>(0);

    private final BlockingQueue<List<String>> chunks = new ArrayBlockingQueue<>(64);
    private final AtomicLong bytesRead = new AtomicLong();
    private volatile IOException failure;
    private boolean ended;

    private LineSource(InputStream in) {
        final Thread reader = new Thread(() -> read(in), "skiff-input");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts reading {@code in} as UTF-8 lines. */
    public static LineSource start(InputStream in) {
        return new LineSource(in);
    }

    private void read(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            List<String> chunk = new ArrayList<>(CHUNK);
            String line;
            while ((line = r.readLine()) != null) {
                chunk.add(line);
                // Characters + newline: exact for ASCII, close enough for a progress bar otherwise.
                bytesRead.addAndGet(line.length() + 1);
                if (chunk.size() == CHUNK || !r.ready()) {
                    chunks.put(chunk);
                    chunk = new ArrayList<>(CHUNK);
                }
            }
            if (!chunk.isEmpty()) {
                chunks.put(chunk);
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            chunks.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The next lines, waiting at most {@code timeoutMs}: an empty list when none came in time, null once the
     * input has ended (see {@link #failure()}).
     */
    public List<String> poll(long timeoutMs) throws InterruptedException {
        if (ended) {
            return null;
        }
        final List<String> chunk = chunks.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (chunk == null) {
            return List.of();
        }
        if (chunk == END) {
            ended = true;
            return null;
        }
        return chunk;
    }

    /** Approximate bytes read so far. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** Why reading stopped early, or null. */
    public IOException failure() {
        return failure;
    }
}

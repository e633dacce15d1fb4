package dev.skiff.storage;

import dev.skiff.protocol.record.Records;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * An immutable region {@code [position, position + sizeInBytes)} of one segment file holding whole record
 * batches, as returned by {@link PartitionLog#read}. The broker sends it to the socket without copying it
 * through the heap ({@link #transferTo}, i.e. sendfile).
 *
 * <p>Lifetime: the region stays readable while appends continue (they only write after it) and after
 * retention deletes its segment, for {@code file.delete.delay.ms} (default 60 s): the segment's channel is kept
 * open that long. After {@link LogManager#deleteLog} or {@link LogManager#close} it is not.
 *
 * <p>Do not hand {@link #channel()} to Netty's {@code new DefaultFileRegion(FileChannel, long, long)}: releasing
 * that region closes the channel, which the segment shares with every reader. Wrap {@link #transferTo} in a
 * {@code FileRegion} of your own instead. Also avoid interrupting a thread while it reads from the channel: NIO
 * closes an interrupted channel for everyone.
 */
public final class FileRecords implements Records {
    private final FileChannel channel;
    private final long position;
    private final int size;
    private final Path file;

    FileRecords(FileChannel channel, long position, int size, Path file) {
        this.channel = channel;
        this.position = position;
        this.size = size;
        this.file = file;
    }

    /** The segment's channel, shared: read it only with positional reads, never close it. */
    public FileChannel channel() {
        return channel;
    }

    /** Start of the region in the file. */
    public long position() {
        return position;
    }

    @Override
    public int sizeInBytes() {
        return size;
    }

    /**
     * Copies the region into a new heap buffer, positioned at 0 with limit {@link #sizeInBytes()}; for tests and
     * paths that cannot use zero-copy (TLS).
     *
     * @throws LogStorageException if the file could not be read
     */
    public ByteBuffer readInto() {
        final ByteBuffer dst = ByteBuffer.allocate(size);
        try {
            long at = position;
            while (dst.hasRemaining()) {
                final int n = channel.read(dst, at);
                if (n < 0) {
                    throw new EOFException("Unexpected end of " + file + " at byte " + at);
                }
                at += n;
            }
        } catch (IOException e) {
            throw new LogStorageException("Reading " + size + " bytes at " + position + " of " + file + " failed", e);
        }
        return dst.flip();
    }

    /**
     * Writes up to {@code maxBytes} of the region, starting {@code offset} bytes into it, to {@code target}
     * with {@link FileChannel#transferTo} (sendfile where the OS has it). May write less than asked, like any
     * channel write; call again with the offset advanced.
     *
     * @return bytes written
     */
    public long transferTo(WritableByteChannel target, long offset, long maxBytes) throws IOException {
        if (offset < 0 || offset > size) {
            throw new IllegalArgumentException("offset " + offset + " outside a region of " + size + " bytes");
        }
        final long count = Math.min(maxBytes, size - offset);
        if (count <= 0) {
            return 0;
        }
        return channel.transferTo(position + offset, count, target);
    }

    @Override
    public String toString() {
        return "FileRecords(" + file.getFileName() + ", position=" + position + ", size=" + size + ")";
    }
}

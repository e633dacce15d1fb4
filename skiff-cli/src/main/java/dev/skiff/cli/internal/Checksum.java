package dev.skiff.cli.internal;

import java.util.zip.CRC32C;

/**
 * An order-independent checksum of many byte arrays: the sum of their CRC-32C values. The demo adds every
 * key and value it sends and every one it reads back; equal sums (with equal counts) mean the same bytes
 * arrived, whatever the partition interleaving. Not thread-safe: one thread adds.
 */
public final class Checksum {
    private final CRC32C crc = new CRC32C();
    private long sum;

    /** Adds one array; null (a null key or value) counts as a distinct constant. */
    public void add(byte[] bytes) {
        if (bytes == null) {
            sum += 0x9E3779B97F4A7C15L;
            return;
        }
        crc.reset();
        crc.update(bytes, 0, bytes.length);
        sum += crc.getValue();
    }

    /** The sum so far. */
    public long value() {
        return sum;
    }

    /** The sum as 16 hex digits. */
    public String hex() {
        return String.format("%016x", sum);
    }
}

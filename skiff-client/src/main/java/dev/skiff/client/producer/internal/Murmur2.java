package dev.skiff.client.producer.internal;

/**
 * The 32-bit murmur2 hash with the seed and finalisation Kafka's Java client uses for keyed records,
 * so a key lands on the same partition whichever of the two producers sent it.
 */
public final class Murmur2 {
    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private Murmur2() {
    }

    /** murmur2 of all of {@code data}. */
    public static int hash(byte[] data) {
        final int length = data.length;
        int h = SEED ^ length;
        final int blocks = length >>> 2;
        for (int i = 0; i < blocks; i++) {
            final int o = i << 2;
            int k = (data[o] & 0xff) | ((data[o + 1] & 0xff) << 8) | ((data[o + 2] & 0xff) << 16)
                    | ((data[o + 3] & 0xff) << 24);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        final int tail = blocks << 2;
        switch (length & 3) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= M;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    /** Clears the sign bit (not Math.abs, which leaves MIN_VALUE negative), as Kafka does. */
    public static int toPositive(int n) {
        return n & 0x7fffffff;
    }

    /** The partition Kafka's default partitioner picks for a key. */
    public static int partitionForKey(byte[] keyBytes, int numPartitions) {
        return toPositive(hash(keyBytes)) % numPartitions;
    }
}

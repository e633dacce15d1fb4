package dev.skiff.protocol.record;

/**
 * The compression codecs of record batch v2, by the id stored in the low three bits of the batch
 * attributes and the name used by Kafka's {@code compression.type} settings.
 *
 * <p>Ids and names are Kafka's and never change. Each codec reads exactly what Kafka writes: gzip
 * (JDK streams), snappy (xerial's framing), lz4 (the LZ4 frame format with Kafka's block choices) and
 * zstd (zstd-jni). Native libraries load on first use of a codec, not when this enum loads.
 */
public enum CompressionType {
    NONE(0, "none"),
    GZIP(1, "gzip"),
    SNAPPY(2, "snappy"),
    LZ4(3, "lz4"),
    ZSTD(4, "zstd");

    private static final CompressionType[] BY_ID = values();

    private final int id;
    private final String configName;

    CompressionType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** The id stored in batch attributes (bits 0-2). */
    public int id() {
        return id;
    }

    /** The name used by {@code compression.type}, e.g. {@code "lz4"}. */
    public String configName() {
        return configName;
    }

    /**
     * The codec with attribute id {@code id}.
     *
     * @throws IllegalArgumentException for ids other than 0..4
     */
    public static CompressionType forId(int id) {
        if (id < 0 || id >= BY_ID.length) {
            throw new IllegalArgumentException("unknown compression type id " + id + "; allowed ids are "
                    + describe(true));
        }
        return BY_ID[id];
    }

    /**
     * The codec named {@code name} exactly as Kafka spells it (lower case).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static CompressionType forName(String name) {
        for (CompressionType type : BY_ID) {
            if (type.configName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown compression type '" + name + "'; allowed values are "
                + describe(false));
    }

    /** True when {@code id} names a codec, i.e. {@link #forId(int)} would not throw. */
    public static boolean isValidId(int id) {
        return id >= 0 && id < BY_ID.length;
    }

    /** The implementation; resolved lazily so that loading this enum loads no native library. */
    Codec codec() {
        switch (this) {
            case GZIP:
                return GzipCodec.INSTANCE;
            case SNAPPY:
                return SnappyCodec.INSTANCE;
            case LZ4:
                return Lz4FrameCodec.INSTANCE;
            case ZSTD:
                return ZstdCodec.INSTANCE;
            default:
                throw new IllegalStateException("no codec for " + this);
        }
    }

    private static String describe(boolean withIds) {
        final StringBuilder sb = new StringBuilder();
        for (CompressionType type : BY_ID) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(withIds ? type.id + " (" + type.configName + ")" : type.configName);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return configName;
    }
}

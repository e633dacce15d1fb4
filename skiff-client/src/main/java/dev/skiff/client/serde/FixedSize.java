package dev.skiff.client.serde;

/** Reads the big-endian numbers that Kafka's number serializers write, checking their size. */
final class FixedSize {
    private FixedSize() {
    }

    static long bigEndian(byte[] data, int size, String type, String topic) {
        if (data.length != size) {
            throw new SerializationException("Cannot read a " + type + " from " + data.length + " bytes of topic "
                    + topic + ": a " + type + " takes exactly " + size + " bytes; use the deserializer that matches "
                    + "the producer's serializer");
        }
        long v = 0;
        for (byte b : data) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }
}

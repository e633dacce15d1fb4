package dev.skiff.protocol.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/** Shared helpers for record batch tests: input records, a normalised read-back form, batch surgery. */
final class TestBatches {
    private TestBatches() {
    }

    /** A record to write; null key/value allowed. */
    static final class Input {
        final long timestamp;
        final byte[] key;
        final byte[] value;
        final Header[] headers;

        Input(long timestamp, byte[] key, byte[] value, Header... headers) {
            this.timestamp = timestamp;
            this.key = key;
            this.value = value;
            this.headers = headers;
        }

        @Override
        public String toString() {
            return "Input(" + timestamp + ", key=" + (key == null ? "null" : key.length)
                    + ", value=" + (value == null ? "null" : value.length) + ", headers=" + headers.length + ")";
        }
    }

    /** A record as read back, normalised so that equals compares content. */
    record Read(long offset, long timestamp, String key, String value, List<String> headers) {
    }

    static String hex(ByteBuffer bytes) {
        if (bytes == null) {
            return null;
        }
        final byte[] b = new byte[bytes.remaining()];
        bytes.duplicate().get(b);
        return HexFormat.of().formatHex(b);
    }

    static String hex(byte[] bytes) {
        return bytes == null ? null : HexFormat.of().formatHex(bytes);
    }

    static String header(String key, byte[] value) {
        return key + "=" + (value == null ? "null" : hex(value));
    }

    /** What reading {@code inputs} back from a batch with base offset {@code baseOffset} must give. */
    static List<Read> expected(List<Input> inputs, long baseOffset) {
        final List<Read> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            final Input in = inputs.get(i);
            final List<String> headers = new ArrayList<>();
            for (Header h : in.headers) {
                headers.add(header(h.key(), h.value()));
            }
            out.add(new Read(baseOffset + i, in.timestamp, hex(in.key), hex(in.value), headers));
        }
        return out;
    }

    static MemoryRecords build(CompressionType type, List<Input> inputs) {
        final RecordBatchBuilder builder = RecordBatchBuilder.growing(128, 1 << 20, type);
        for (Input in : inputs) {
            builder.append(in.timestamp, wrap(in.key), wrap(in.value), in.headers);
        }
        return builder.build();
    }

    static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes);
    }

    /** Reads every record of every batch with Skiff's reader. */
    static List<Read> readAll(ByteBuffer records) {
        final List<Read> out = new ArrayList<>();
        final BatchIterator batches = new BatchIterator(records);
        final RecordReader reader = new RecordReader(1 << 20);
        while (batches.hasNext()) {
            reader.open(batches.next());
            while (reader.next()) {
                final List<String> headers = new ArrayList<>();
                for (int i = 0; i < reader.headerCount(); i++) {
                    final ByteBuffer v = reader.headerValue(i);
                    headers.add(reader.headerKey(i) + "=" + (v == null ? "null" : hex(v)));
                }
                out.add(new Read(reader.offset(), reader.timestamp(), hex(reader.key()), hex(reader.value()),
                        headers));
            }
        }
        return out;
    }

    static byte[] toArray(ByteBuffer buffer) {
        final byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** Recomputes the CRC of the batch at {@code start} after a test changed covered bytes. */
    static void fixCrc(ByteBuffer buffer, int start) {
        final BatchHeader h = new BatchHeader().wrap(buffer, start);
        buffer.putInt(start + BatchHeader.CRC_OFFSET, (int) h.computeCrc());
    }

    /**
     * A copy of the uncompressed batch {@code plain} whose records section is replaced by {@code payload}
     * and whose codec id is {@code codecId}, with batchLength and CRC fixed: for feeding hand-made
     * compressed payloads to the reader.
     */
    static ByteBuffer rewrap(ByteBuffer plain, int codecId, byte[] payload) {
        final ByteBuffer out = ByteBuffer.allocate(BatchHeader.HEADER_SIZE + payload.length);
        out.put(plain.duplicate().limit(plain.position() + BatchHeader.HEADER_SIZE));
        out.put(payload);
        out.flip();
        out.putInt(BatchHeader.LENGTH_OFFSET, out.limit() - BatchHeader.LOG_OVERHEAD);
        final short attributes = out.getShort(BatchHeader.ATTRIBUTES_OFFSET);
        out.putShort(BatchHeader.ATTRIBUTES_OFFSET, (short) ((attributes & ~0x07) | codecId));
        fixCrc(out, 0);
        return out;
    }

    /** The uncompressed records section of the uncompressed batch {@code plain}. */
    static byte[] recordsSection(ByteBuffer plain) {
        final byte[] all = toArray(plain);
        return Arrays.copyOfRange(all, BatchHeader.HEADER_SIZE, all.length);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static int crc(byte[] bytes, int from, int to) {
        final CRC32C c = new CRC32C();
        c.update(bytes, from, to - from);
        return (int) c.getValue();
    }
}

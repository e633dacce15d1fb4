package dev.skiff.client.serde;

import dev.skiff.protocol.record.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A record's headers: an ordered list of key/value pairs where keys may repeat (as in Kafka).
 *
 * <p>Serializers may add headers (for example a content type) before the record is appended; once a
 * record is handed to the producer its headers are {@linkplain #seal() sealed} and further changes fail.
 * Not thread-safe until sealed.
 */
public final class Headers implements Iterable<Header> {
    private static final Header[] NONE = new Header[0];

    private final List<Header> headers;
    private boolean sealed;

    public Headers() {
        // No backing array until the first header: most records have none, and every record has a Headers.
        this.headers = new ArrayList<>();
    }

    /** Headers holding a copy of {@code headers}. */
    public static Headers of(Iterable<Header> headers) {
        final Headers h = new Headers();
        if (headers != null) {
            for (Header header : headers) {
                h.add(header);
            }
        }
        return h;
    }

    /** Appends a header; a null value is allowed. */
    public Headers add(String key, byte[] value) {
        return add(new Header(key, value));
    }

    /** Appends a header with the UTF-8 bytes of {@code value} (null stays null). */
    public Headers add(String key, String value) {
        return add(new Header(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
    }

    public Headers add(Header header) {
        checkOpen();
        headers.add(Objects.requireNonNull(header, "header"));
        return this;
    }

    /** Removes every header with this key. */
    public Headers remove(String key) {
        checkOpen();
        headers.removeIf(h -> h.key().equals(key));
        return this;
    }

    /** The last header with this key, or null. */
    public Header lastHeader(String key) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).key().equals(key)) {
                return headers.get(i);
            }
        }
        return null;
    }

    public int size() {
        return headers.size();
    }

    public boolean isEmpty() {
        return headers.isEmpty();
    }

    /** An unmodifiable view. */
    public List<Header> asList() {
        return Collections.unmodifiableList(headers);
    }

    /** The headers as an array for the batch writer (a shared empty array when there are none). */
    public Header[] toArray() {
        return headers.isEmpty() ? NONE : headers.toArray(NONE);
    }

    /** Makes these headers read-only; the producer calls this once a record is accepted. */
    public Headers seal() {
        sealed = true;
        return this;
    }

    public boolean isSealed() {
        return sealed;
    }

    @Override
    public Iterator<Header> iterator() {
        return asList().iterator();
    }

    private void checkOpen() {
        if (sealed) {
            throw new IllegalStateException("headers are read-only once the record is handed to the producer");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers && ((Headers) o).headers.equals(headers);
    }

    @Override
    public int hashCode() {
        return headers.hashCode();
    }

    @Override
    public String toString() {
        return "Headers" + headers;
    }

}

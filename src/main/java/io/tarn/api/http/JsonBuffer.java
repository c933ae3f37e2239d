package io.tarn.api.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * A JSON answer written straight into one byte array, for answers whose size is in their strings (a
 * page of a listing): constant parts are copied as pre-encoded bytes, a string that needs no escaping
 * (printable ASCII without {@code "} and {@code \}: paths, addresses, checksums, content types) is
 * copied from the {@link String} into the array in bulk, and every other string is written by the
 * mapper's own generator, so the bytes are those {@link Json#mapper()} writes. The array is handed to
 * the response as it is ({@link ApiResponse#json(int, JsonBuffer)}): no intermediate buffers, no copy
 * of the whole answer, no string built per value. A response's buffer ({@link ApiResponse#jsonBuffer})
 * takes its array from the server's buffer pool and gives it back once written, so an answer of tens
 * of kilobytes is not a fresh array to zero and collect.
 *
 * <p>The caller writes a well-formed text: this class checks no nesting.
 */
public final class JsonBuffer {
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");

    private final ByteBufferPool pool;
    /** The pool's buffer whose array {@link #bytes} is, or {@code null} for an array of this buffer's own. */
    private RetainableByteBuffer pooled;
    private byte[] bytes;
    private int length;
    /** The mapper's generator for strings that need escaping, writing into this buffer (made once needed). */
    private JsonGenerator escaper;

    /** @param capacity the expected size in bytes (the buffer grows past it, by copying) */
    public JsonBuffer(int capacity) {
        this(capacity, null);
    }

    /** A buffer whose arrays come from {@code pool}, given back by {@link #release()}. */
    public static JsonBuffer pooled(int capacity, ByteBufferPool pool) {
        return new JsonBuffer(capacity, pool);
    }

    private JsonBuffer(int capacity, ByteBufferPool pool) {
        this.pool = pool;
        bytes = acquire(Math.max(capacity, 64));
    }

    /** The bytes of a constant fragment of JSON text (names, punctuation): ASCII only. */
    public static byte[] ascii(String fragment) {
        for (int i = 0; i < fragment.length(); i++) {
            if (fragment.charAt(i) > 0x7e) {
                throw new IllegalArgumentException("not ASCII: " + fragment);
            }
        }
        return fragment.getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends pre-encoded JSON text. */
    public JsonBuffer raw(byte[] fragment) {
        int n = fragment.length;
        ensure(n);
        System.arraycopy(fragment, 0, bytes, length, n);
        length += n;
        return this;
    }

    /** Appends one byte of JSON text (punctuation). */
    public JsonBuffer raw(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends {@code value} as a JSON string, quotes included ({@code null} is not allowed). */
    public JsonBuffer string(String value) {
        if (Json.plainAscii(value)) {
            ensure(value.length() + 2);
            bytes[length++] = '"';
            copyAscii(value);
            bytes[length++] = '"';
        } else {
            escaped(value);
        }
        return this;
    }

    /**
     * A part that many strings of one answer start with (a physical address starts with its storage
     * namespace), checked for escaping once; {@code plain} holds its bytes if it needs none.
     */
    public record Part(String text, byte[] plain) {
        public static Part of(String text) {
            return new Part(text, Json.plainAscii(text) ? text.getBytes(StandardCharsets.US_ASCII) : null);
        }
    }

    /** Appends {@code first.text() + rest} as one JSON string, without building it when neither needs escaping. */
    public JsonBuffer string(Part first, String rest) {
        byte[] plain = first.plain();
        if (plain != null && Json.plainAscii(rest)) {
            ensure(plain.length + rest.length() + 2);
            bytes[length++] = '"';
            System.arraycopy(plain, 0, bytes, length, plain.length);
            length += plain.length;
            copyAscii(rest);
            bytes[length++] = '"';
        } else {
            escaped(first.text() + rest);
        }
        return this;
    }

    /** Appends {@code value} as a JSON number, as the generator writes a {@code long}. */
    public JsonBuffer number(long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            // not what a size or an mtime in seconds is for a long time to come
            return raw(ascii(Long.toString(value)));
        }
        int v = (int) value;
        int digits = digits(v);
        ensure(digits);
        int end = length + digits;
        for (int i = end - 1; i >= length; i--) {
            int q = v / 10;
            bytes[i] = (byte) ('0' + (v - q * 10));
            v = q;
        }
        length = end;
        return this;
    }

    private static int digits(int v) {
        int digits = 1;
        for (int limit = 10; digits < 10 && v >= limit; limit *= 10) {
            digits++;
        }
        return digits;
    }

    public JsonBuffer bool(boolean value) {
        return raw(value ? TRUE : FALSE);
    }

    /** The array holding the text: its first {@link #length()} bytes. */
    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    /** The text as a string (for tests and logs). */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    // the string is Latin-1 here (checked ASCII), so this copies its bytes as they are
    @SuppressWarnings("deprecation")
    private void copyAscii(String value) {
        int n = value.length();
        value.getBytes(0, n, bytes, length);
        length += n;
    }

    private void escaped(String value) {
        try {
            if (escaper == null) {
                escaper = Json.mapper().getFactory().createGenerator(new Appender());
                escaper.setRootValueSeparator(null);
            }
            escaper.writeString(value);
            escaper.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // only an appender that cannot fail is written to
        }
    }

    private void ensure(int more) {
        if (bytes.length - length < more) {
            RetainableByteBuffer old = pooled;
            byte[] grown = acquire(Math.max(bytes.length * 2, length + more));
            System.arraycopy(bytes, 0, grown, 0, length);
            bytes = grown;
            if (old != null) {
                old.release();
            }
        }
    }

    /** An array of at least {@code capacity} bytes, from the pool if there is one (then in {@link #pooled}). */
    private byte[] acquire(int capacity) {
        pooled = null;
        if (pool != null) {
            RetainableByteBuffer buffer = pool.acquire(capacity, false);
            ByteBuffer bytes = buffer.getByteBuffer();
            // the whole array, not a slice of one shared with other buffers
            if (bytes.hasArray() && bytes.arrayOffset() == 0 && bytes.capacity() == bytes.array().length
                    && bytes.capacity() >= capacity) {
                pooled = buffer;
                return bytes.array();
            }
            buffer.release();
        }
        return new byte[capacity];
    }

    /**
     * Gives a pooled array back, once the text is written (the buffer is not used again). A buffer
     * whose write failed is not released: its array is left to the garbage collector, never handed to
     * another answer while the connection might still hold it.
     */
    public void release() {
        if (pooled != null) {
            pooled.release();
            pooled = null;
        }
        bytes = null;
    }

    /** Where the escaper's generator flushes to: the end of this buffer. */
    private final class Appender extends OutputStream {
        @Override
        public void write(int b) {
            raw((char) (b & 0xff));
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, length, len);
            length += len;
        }
    }
}

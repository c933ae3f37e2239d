package io.tarn.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A streaming multipart/form-data reader (RFC 7578 / RFC 2046). Parts are read one after the other
 * from the request body; a part's content is an {@link InputStream} that reads straight from the
 * body through one fixed buffer, so a part of any size is never held in memory.
 *
 * <p>Errors of the body (cut short, no boundary, headers too long) are {@link MalformedBodyException}.
 */
public final class MultipartReader {

    /** One part: its headers and a content stream valid until the next call of {@link #next()}. */
    public record Part(String name, Optional<String> filename, Map<String, String> headers, InputStream content) {}

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Room for a part header line of {@link #MAX_HEADER_BYTES} and its CRLF, whatever the body's length. */
    private static final int MIN_BUFFER_SIZE = MAX_HEADER_BYTES + 64;
    private static final int MAX_BOUNDARY = 200;

    private final InputStream in;
    private final byte[] delimiter; // CRLF "--" boundary
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private PartStream current;
    private boolean finished;

    /**
     * A reader of a body of {@code length} bytes ({@code -1}: not known): its buffer is no larger
     * than the body needs (a 4 KiB upload does not allocate 64 KiB), and never smaller than the
     * longest part header line it accepts.
     */
    public MultipartReader(InputStream in, String boundary, long length) throws MalformedBodyException {
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw new MalformedBodyException("multipart boundary is missing or too long");
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[bufferSize(length) + delimiter.length];
        // The first boundary may open the body without a CRLF before it: pretend there was one.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /** The buffer for a body of {@code length} bytes (the two bytes of the CRLF put before the first boundary too). */
    static int bufferSize(long length) {
        if (length < 0 || length + 2 >= BUFFER_SIZE) {
            return BUFFER_SIZE;
        }
        return (int) Math.max(length + 2, MIN_BUFFER_SIZE);
    }

    /**
     * The boundary parameter of a {@code multipart/form-data} Content-Type, or empty if the type is
     * something else.
     */
    public static Optional<String> boundaryOf(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("multipart/form-data")) {
            return Optional.empty();
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String value = param.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The next part, skipping what is left of the previous one; empty after the closing boundary. */
    public Optional<Part> next() throws IOException {
        if (finished) {
            return Optional.empty();
        }
        if (current != null) {
            current.skipRest();
        } else {
            skipToDelimiter(); // the preamble
        }
        // pos is at a delimiter
        pos += delimiter.length;
        // "--" closes the body; otherwise optional whitespace then CRLF starts a part
        if (!ensure(2)) {
            throw cutShort();
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            pos += 2;
            return Optional.empty();
        }
        while (true) {
            if (!ensure(1)) {
                throw cutShort();
            }
            if (buf[pos] == ' ' || buf[pos] == '\t') {
                pos++;
            } else {
                break;
            }
        }
        if (!ensure(2)) {
            throw cutShort();
        }
        if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw new MalformedBodyException("malformed multipart body: bad boundary line");
        }
        pos += 2;
        Map<String, String> headers = readHeaders();
        String disposition = headers.get("content-disposition");
        if (disposition == null) {
            throw new MalformedBodyException("malformed multipart body: part without Content-Disposition");
        }
        Map<String, String> params = dispositionParams(disposition);
        String name = params.get("name");
        if (name == null) {
            throw new MalformedBodyException("malformed multipart body: part without a name");
        }
        current = new PartStream();
        return Optional.of(new Part(name, Optional.ofNullable(params.get("filename")), headers, current));
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        while (true) {
            int lineEnd;
            while ((lineEnd = indexOfCrlf()) < 0) {
                if (lim - pos > MAX_HEADER_BYTES) {
                    throw new MalformedBodyException("malformed multipart body: part headers too long");
                }
                if (!fill()) {
                    throw cutShort();
                }
            }
            int length = lineEnd - pos;
            String line = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos = lineEnd + 2;
            total += length + 2;
            if (total > MAX_HEADER_BYTES) {
                throw new MalformedBodyException("malformed multipart body: part headers too long");
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedBodyException("malformed multipart body: bad part header");
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
    }

    /** Parameters of {@code form-data; name="content"; filename="x"} (quoted strings with \-escapes). */
    static Map<String, String> dispositionParams(String disposition) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = disposition.indexOf(';');
        if (i < 0) {
            return params;
        }
        int n = disposition.length();
        while (i < n) {
            i++; // past ';'
            while (i < n && Character.isWhitespace(disposition.charAt(i))) {
                i++;
            }
            int eq = disposition.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = disposition.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && disposition.charAt(i) == '"') {
                i++;
                while (i < n && disposition.charAt(i) != '"') {
                    char c = disposition.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        c = disposition.charAt(++i);
                    }
                    value.append(c);
                    i++;
                }
                i++; // closing quote
                while (i < n && disposition.charAt(i) != ';') {
                    i++;
                }
            } else {
                int end = disposition.indexOf(';', i);
                if (end < 0) {
                    end = n;
                }
                value.append(disposition, i, end);
                i = end;
                value = new StringBuilder(value.toString().trim());
            }
            params.putIfAbsent(key, value.toString());
        }
        return params;
    }

    private int indexOfCrlf() {
        for (int i = pos; i + 1 < lim; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the delimiter in buf[pos, lim), or -1. */
    private int indexOfDelimiter() {
        int last = lim - delimiter.length;
        outer:
        for (int i = pos; i <= last; i++) {
            if (buf[i] != '\r') {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void skipToDelimiter() throws IOException {
        while (true) {
            int at = indexOfDelimiter();
            if (at >= 0) {
                pos = at;
                return;
            }
            pos = Math.max(pos, lim - (delimiter.length - 1));
            if (!fill()) {
                throw cutShort();
            }
        }
    }

    /** Makes sure {@code n} bytes are buffered at pos; false if the body ends before. */
    private boolean ensure(int n) throws IOException {
        while (lim - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Reads more of the body into the buffer (compacting it first); false at the end of the body. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        if (lim == buf.length) {
            throw new IllegalStateException("multipart buffer full");
        }
        int read;
        try {
            read = in.read(buf, lim, buf.length - lim);
        } catch (MalformedBodyException e) {
            throw e;
        } catch (IOException e) {
            throw new MalformedBodyException("request body ended early: " + e.getMessage(), e);
        }
        if (read < 0) {
            eof = true;
            return false;
        }
        lim += read;
        return true;
    }

    private static MalformedBodyException cutShort() {
        return new MalformedBodyException("multipart body ended before its closing boundary");
    }

    /** The content of the current part: bytes up to the next delimiter. */
    private final class PartStream extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (done || current != this) {
                return -1;
            }
            while (true) {
                int at = indexOfDelimiter();
                int available;
                if (at >= 0) {
                    available = at - pos;
                    if (available == 0) {
                        done = true;
                        return -1;
                    }
                } else {
                    available = lim - pos - (delimiter.length - 1);
                }
                if (available > 0) {
                    int n = Math.min(len, available);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (!fill()) {
                    throw cutShort();
                }
            }
        }

        @Override
        public int available() {
            if (done) {
                return 0;
            }
            int at = indexOfDelimiter();
            return Math.max(0, at >= 0 ? at - pos : lim - pos - (delimiter.length - 1));
        }

        void skipRest() throws IOException {
            while (!done) {
                int at = indexOfDelimiter();
                if (at >= 0) {
                    pos = at;
                    done = true;
                    return;
                }
                pos = Math.max(pos, lim - (delimiter.length - 1));
                if (!fill()) {
                    throw cutShort();
                }
            }
        }

        @Override
        public void close() {
            // the request body belongs to the request; the rest is skipped by next() or the server
        }
    }
}

package io.tarn.api.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * The request body as one stream for the whole exchange. It remembers whether the body was read to
 * its end, and turns a transport failure while reading (client gone, body shorter than its
 * Content-Length) into a {@link MalformedBodyException}.
 */
final class RequestBody extends InputStream {
    private final InputStream in;
    private boolean atEnd;
    private boolean failed;
    private long bytesRead;
    /** A byte read ahead by {@link #isEmpty()}, or -1. */
    private int peeked = -1;

    RequestBody(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (peeked >= 0 && len > 0) {
            b[off] = (byte) peeked;
            peeked = -1;
            return 1;
        }
        if (atEnd) {
            return -1;
        }
        if (failed) {
            throw new MalformedBodyException("request body ended early");
        }
        try {
            int n = in.read(b, off, len);
            if (n < 0) {
                atEnd = true;
            } else {
                bytesRead += n;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw new MalformedBodyException("request body ended early or could not be read", e);
        }
    }

    boolean atEnd() {
        return atEnd && peeked < 0;
    }

    /**
     * True if the body has no bytes at all (for a body of unknown length, such as a chunked one, this
     * waits for its first byte or its end); nothing is consumed.
     *
     * @throws MalformedBodyException (an IOException) if the body cannot be read
     */
    boolean isEmpty() throws IOException {
        if (peeked >= 0) {
            return false;
        }
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        if (n < 0) {
            return true;
        }
        peeked = one[0] & 0xff;
        return false;
    }

    /** Bytes taken from the connection so far (a byte read ahead counts once). */
    long bytesRead() {
        return bytesRead;
    }

    boolean failed() {
        return failed;
    }

    /**
     * Reads and discards up to {@code limit} more bytes; true if the body then ended cleanly (the
     * connection can be reused), false if it is longer or broken.
     */
    boolean drain(long limit) {
        byte[] scratch = new byte[16 * 1024];
        long left = limit;
        try {
            while (!atEnd && left > 0) {
                int n = read(scratch, 0, (int) Math.min(scratch.length, left));
                if (n > 0) {
                    left -= n;
                }
            }
            if (!atEnd) {
                int n = read(scratch, 0, 1);
                return n < 0;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        // owned by the exchange
    }
}

package io.tarn.util;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A stream that also fills a {@link ByteBuffer} directly: the local block store's streams read their
 * file by position into the buffer, so a caller with a direct buffer (the HTTP layer
 * sending an object) moves the bytes from the file to the socket without copying them through the
 * Java heap. Implemented by {@link java.io.InputStream}s; both kinds of read advance the same position.
 */
public interface BufferReadable {
    /**
     * Reads up to {@code dst.remaining()} bytes into {@code dst} at its position.
     *
     * @return the number of bytes read, or -1 at the end of the stream
     */
    int read(ByteBuffer dst) throws IOException;
}

package io.tarn.api.http;

import io.tarn.util.BufferReadable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;

/** {@link ApiResponse} over a Jetty core response; every write blocks (handlers run on virtual threads). */
final class HttpApiResponse implements ApiResponse {
    static final String JSON = "application/json";
    private static final int STREAM_BUFFER = 64 * 1024;

    private final Response response;
    private boolean written;

    HttpApiResponse(Response response) {
        this.response = response;
    }

    boolean written() {
        return written;
    }

    /** For bodies written directly to the Jetty response. */
    void markWritten() {
        written = true;
    }

    @Override
    public ApiResponse header(String name, String value) {
        if (written) {
            throw new IllegalStateException("response already written");
        }
        response.getHeaders().put(name, value);
        return this;
    }

    @Override
    public void json(int status, Object body) {
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise response of type " + body.getClass().getName(), e);
        }
        begin(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        write(ByteBuffer.wrap(bytes));
    }

    @Override
    public JsonBuffer jsonBuffer(int capacity) {
        return JsonBuffer.pooled(capacity, response.getRequest().getComponents().getByteBufferPool());
    }

    @Override
    public void json(int status, JsonBuffer body) {
        begin(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length());
        write(ByteBuffer.wrap(body.array(), 0, body.length()));
        body.release(); // written: the connection holds the array no more (not reached when the write failed)
    }

    @Override
    public void empty(int status) {
        begin(status);
        if (status != 204 && status != 304) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        }
        write(BufferUtil.EMPTY_BUFFER);
    }

    @Override
    public void bytes(int status, String contentType, byte[] body, int length) {
        begin(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        write(ByteBuffer.wrap(body, 0, length));
    }

    @Override
    public void stream(int status, String contentType, long contentLength, InputStream content) {
        try (InputStream in = content) {
            begin(status);
            if (contentType != null) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            }
            if (contentLength >= 0) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, contentLength);
            }
            if (in instanceof BufferReadable file) {
                // a local object of any size, a small one in one read and one last write
                writeFromBuffers(file, contentLength);
                return;
            }
            if (contentLength >= 0 && contentLength <= STREAM_BUFFER) {
                // small bodies of other streams: one read and one last write, no 64 KiB buffer
                // and no OutputStream adapter; a short stream still fails the response in Jetty
                write(ByteBuffer.wrap(in.readNBytes((int) contentLength)));
                return;
            }
            OutputStream out = Content.Sink.asOutputStream(response);
            byte[] buffer = new byte[STREAM_BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("streaming the response failed", e);
        }
    }

    /**
     * A body the block store reads straight into buffers (a local file): read into a pooled direct
     * buffer and written from it, so the bytes go from the file to the socket without a copy through
     * the heap (the stream path copies each chunk twice more: into a heap array, then out of it).
     */
    private void writeFromBuffers(BufferReadable file, long contentLength) throws IOException {
        // a body smaller than the buffer takes a pooled buffer of its own size (at least one byte)
        int size = contentLength >= 0 && contentLength < STREAM_BUFFER ? (int) Math.max(1, contentLength) : STREAM_BUFFER;
        RetainableByteBuffer pooled = response.getRequest().getComponents().getByteBufferPool()
                .acquire(size, true);
        try {
            ByteBuffer buffer = pooled.getByteBuffer();
            long written = 0;
            while (true) {
                buffer.clear();
                int n = file.read(buffer);
                if (n < 0) {
                    break;
                }
                buffer.flip();
                written += n;
                Content.Sink.write(response, contentLength >= 0 && written >= contentLength, buffer);
                if (contentLength >= 0 && written >= contentLength) {
                    return;
                }
            }
            // the end of the stream before the declared length: Jetty fails the response for it
            Content.Sink.write(response, true, BufferUtil.EMPTY_BUFFER);
        } finally {
            pooled.release();
        }
    }

    private void begin(int status) {
        if (written) {
            throw new IllegalStateException("response already written");
        }
        written = true;
        response.setStatus(status);
    }

    private void write(ByteBuffer buffer) {
        try {
            Content.Sink.write(response, true, buffer);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the response failed", e);
        }
    }
}

package io.tarn.api.http;

import java.io.InputStream;

/** Writes the response of an operation. Exactly one of the body methods is called once. */
public interface ApiResponse {

    /** Sets a response header; call before a body method. */
    ApiResponse header(String name, String value);

    /** Writes {@code body} as JSON ({@code application/json}). */
    void json(int status, Object body);

    /** A buffer to write a JSON answer into, of about {@code capacity} bytes, for {@link #json(int, JsonBuffer)}. */
    default JsonBuffer jsonBuffer(int capacity) {
        return new JsonBuffer(capacity);
    }

    /** Writes the text of {@code body}, a buffer of {@link #jsonBuffer}, as it is ({@code application/json}). */
    default void json(int status, JsonBuffer body) {
        bytes(status, "application/json", body.array(), body.length());
    }

    /** A response without a body (e.g. 204). */
    void empty(int status);

    /**
     * Streams {@code content} as the body and closes it.
     *
     * @param contentLength the exact length, or -1 if unknown
     */
    void stream(int status, String contentType, long contentLength, InputStream content);

    /** Writes {@code body}, whole, as the body. */
    default void bytes(int status, String contentType, byte[] body) {
        bytes(status, contentType, body, body.length);
    }

    /** Writes the first {@code length} bytes of {@code body} as the body. */
    default void bytes(int status, String contentType, byte[] body, int length) {
        stream(status, contentType, length, new java.io.ByteArrayInputStream(body, 0, length));
    }
}

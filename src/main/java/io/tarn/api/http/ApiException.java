package io.tarn.api.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error at the HTTP level (malformed request, missing parameter, bad credentials), with the
 * status to answer and the message for the {@code {"message": ...}} body.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Adds a header that the error response must carry (e.g. Content-Range on a 416). */
    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The headers the error response carries besides the JSON body. */
    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}

package io.tarn.api.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers itself, before any handler runs (header too large, bad URI, bad
 * encoding, control characters), for every method, as {@code {"message": ...}} JSON. Jetty hands
 * this handler a request without its header fields (they are what failed, or were never parsed), so
 * the surface a request was meant for cannot be told when it depends on a header (the S3 gateway's
 * Host or signature rule); every surface reached by path answers JSON errors anyway. (Jetty 12's
 * HTTP/1.1 connection builds that request with {@code HttpFields.EMPTY} when its parser fails; the
 * fields parsed before are reachable only by subclassing its internal connection: see
 * docs/front-door.md.)
 */
final class JsonErrorHandler extends ErrorHandler {

    /** Every method gets an error body (Jetty's default gives one to GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        ByteBuffer body = ByteBuffer.wrap(Json.mapper().writeValueAsBytes(Map.of("message", messageFor(code, message))));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpApiResponse.JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        response.write(true, body, callback);
    }

    static String messageFor(int code, String message) {
        if (code >= 500) {
            return ErrorMapper.INTERNAL_ERROR;
        }
        String reason = HttpStatus.getMessage(code);
        if (message == null || message.isBlank()) {
            return reason == null ? "request failed with status " + code : reason;
        }
        return FrontDoor.printable(message);
    }
}

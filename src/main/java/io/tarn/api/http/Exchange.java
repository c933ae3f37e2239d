package io.tarn.api.http;

import io.tarn.auth.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * One request and its response as the front door hands them to a surface: the request line and
 * headers, the body as one stream, the response, and what the surface learns on the way (its
 * operation, the principal) for the access log and the metrics.
 */
public final class Exchange {
    private static final AtomicLong REQUEST_IDS = new AtomicLong(System.nanoTime() & 0xffffffffL);

    private final Request request;
    private final Response response;
    private final RequestBody body;
    private final HttpApiResponse apiResponse;
    private final String rawPath;
    private String surface = "none";
    private String operation = "unknown";
    private Principal principal;
    private String requestId;

    Exchange(Request request, Response response) {
        this.request = request;
        this.response = response;
        this.body = new RequestBody(Request.asInputStream(request));
        this.apiResponse = new HttpApiResponse(response);
        String path = request.getHttpURI().getPath();
        this.rawPath = path == null || path.isEmpty() ? "/" : path;
    }

    public String method() {
        return request.getMethod();
    }

    /** The path as sent, still percent-encoded, without the query ({@code "/"} at least). */
    public String rawPath() {
        return rawPath;
    }

    /** The query string as sent (percent-encoded), or {@code null}. */
    public String rawQuery() {
        return request.getHttpURI().getQuery();
    }

    /** The first value of a header, or {@code null}. */
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The values of a header (any case of its name), one per header line in the order sent; empty if none. */
    public java.util.List<String> headerValues(String name) {
        return request.getHeaders().getValuesList(name);
    }

    /** Calls {@code each} with every request header, name as sent, in the order sent (a repeated header once per value). */
    public void forEachHeader(java.util.function.BiConsumer<String, String> each) {
        for (org.eclipse.jetty.http.HttpField field : request.getHeaders()) {
            each.accept(field.getName(), field.getValue());
        }
    }

    /** The Host the client asked for, lower case, without the port ({@code ""} if none). */
    public String host() {
        String host = request.getHttpURI().getHost();
        if (host == null || host.isEmpty()) {
            return "";
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** The client's address. */
    public String clientAddress() {
        return Request.getRemoteAddr(request);
    }

    /** The request body, read once by whoever needs it. */
    public InputStream body() {
        return body;
    }

    public ApiResponse response() {
        return apiResponse;
    }

    /** Sets a response header directly (also on an error answer, before its body is written). */
    public void responseHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /** A short id of this request, unique within the process (S3 errors carry it as {@code RequestId}). */
    public String requestId() {
        if (requestId == null) {
            requestId = Long.toHexString(REQUEST_IDS.incrementAndGet()).toUpperCase(Locale.ROOT);
        }
        return requestId;
    }

    /** Records the operation the surface routed the request to (for the access log and the metrics). */
    public void operation(String operationId) {
        this.operation = operationId;
    }

    public String operation() {
        return operation;
    }

    /** Records who the request acts as, once authenticated. */
    public void principal(Principal principal) {
        this.principal = principal;
    }

    public Principal principal() {
        return principal;
    }

    public String surface() {
        return surface;
    }

    void surface(String name) {
        this.surface = name;
    }

    /**
     * Answers GET or HEAD of a fixed resource with {@code content}; any other method is refused with
     * a 405 (an {@link ApiException} carrying {@code Allow}).
     */
    public void serveFixed(String contentType, byte[] content) throws IOException {
        String method = method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new ApiException(405, "method " + method + " is not allowed here")
                    .withHeader(HttpHeader.ALLOW.asString(), "GET, HEAD");
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, content.length);
        apiResponse.markWritten();
        Content.Sink.write(response, true, method.equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(content));
    }

    Request request() {
        return request;
    }

    Response jettyResponse() {
        return response;
    }

    RequestBody requestBody() {
        return body;
    }

    HttpApiResponse apiResponse() {
        return apiResponse;
    }
}

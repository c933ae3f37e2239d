package io.tarn.api.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Jetty handler: serves the API document and the health probe, routes everything else
 * through the {@link Router}, authenticates, runs the operation (blocking, on a virtual thread) and
 * turns every failure into a JSON error through {@link ErrorMapper}.
 */
final class ApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    /** How much of an unread request body is read and dropped to keep the connection usable. */
    static final long DRAIN_LIMIT = 256L * 1024 * 1024;

    static final String DOCUMENT_PATH = "/swagger.json";
    static final String HEALTH_PATH = "/_health";
    private static final byte[] HEALTH_OK = "ok\n".getBytes(StandardCharsets.US_ASCII);

    private final Router router;
    private final byte[] document;
    private final Authenticator authenticator;
    private final String instanceId;

    /** The header of {@code /_health} that tells which server process answered. */
    static final String INSTANCE_HEADER = "X-Tarn-Instance";

    ApiHandler(Router router, byte[] document, Authenticator authenticator, String instanceId) {
        super(InvocationType.BLOCKING);
        this.instanceId = instanceId;
        this.router = router;
        this.document = document.clone();
        this.authenticator = authenticator;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        RequestBody body = new RequestBody(Request.asInputStream(request));
        HttpApiResponse apiResponse = new HttpApiResponse(response);
        try {
            dispatch(request, response, apiResponse, body);
            if (!apiResponse.written()) {
                throw new IllegalStateException("operation wrote no response");
            }
            finishBody(body, request);
            callback.succeeded();
        } catch (Throwable failure) {
            fail(request, response, body, failure, callback);
        }
        return true;
    }

    private void dispatch(Request request, Response response, HttpApiResponse apiResponse, RequestBody body)
            throws Exception {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        if (!router.covers(path) && (path.equals(DOCUMENT_PATH) || path.equals(HEALTH_PATH))) {
            boolean isDocument = path.equals(DOCUMENT_PATH);
            if (!isDocument) {
                response.getHeaders().put(INSTANCE_HEADER, instanceId);
            }
            serveFixed(method, response, apiResponse, isDocument ? HttpApiResponse.JSON : "text/plain; charset=utf-8",
                    isDocument ? document : HEALTH_OK);
            return;
        }
        switch (router.match(method, path)) {
            case Router.NotFound notFound -> throw ApiException.notFound("no such API path: " + printable(path));
            case Router.MethodNotAllowed notAllowed -> {
                response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", notAllowed.allowed()));
                throw new ApiException(405, "method " + method + " is not allowed on " + printable(path));
            }
            case Router.Found found -> {
                String user = found.operation().authenticated() ? authenticate(request) : null;
                HttpApiRequest apiRequest = new HttpApiRequest(request, found.operation().operationId(),
                        found.params(), user, body);
                found.handler().handle(apiRequest, apiResponse);
            }
        }
    }

    /** Answers GET or HEAD of a fixed resource (the document, the health probe) with {@code content}. */
    private static void serveFixed(String method, Response response, HttpApiResponse apiResponse, String contentType,
                                   byte[] content) throws IOException {
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

    private String authenticate(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw ApiException.unauthorized("missing credentials: use HTTP basic auth with an access key");
        }
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Basic")) {
            throw ApiException.unauthorized("malformed Authorization header: expected Basic credentials");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(space + 1).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized("malformed Authorization header: credentials are not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw ApiException.unauthorized("malformed Authorization header: expected access-key-id:secret");
        }
        Optional<String> user = authenticator.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
        return user.orElseThrow(() -> ApiException.unauthorized("error authenticating request: wrong access key or secret"));
    }

    /** After a successful answer: read what is left of the body so the connection can be reused. */
    private static void finishBody(RequestBody body, Request request) {
        if (!body.atEnd() && !body.failed() && request.getLength() != 0) {
            body.drain(DRAIN_LIMIT);
        }
    }

    private void fail(Request request, Response response, RequestBody body, Throwable failure, Callback callback) {
        ErrorMapper.ErrorResponse error = ErrorMapper.map(failure);
        String path = printable(request.getHttpURI().getPath());
        if (error.serverFault() && clientGone(failure)) {
            LOG.info("{} {}: the client went away ({})", request.getMethod(), path, failure.getMessage());
        } else if (error.serverFault()) {
            LOG.error("{} {} failed", request.getMethod(), path, failure);
        } else {
            LOG.debug("{} {} -> {}: {}", request.getMethod(), path, error.status(), error.message());
        }
        if (response.isCommitted()) {
            // Too late for an error body: abort, so the client sees a broken response rather than a short one.
            callback.failed(failure);
            return;
        }
        String allow = response.getHeaders().get(HttpHeader.ALLOW);
        response.reset();
        if (allow != null && error.status() == 405) {
            response.getHeaders().put(HttpHeader.ALLOW, allow);
        }
        if (failure instanceof ApiException apiFailure) {
            apiFailure.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        }
        if (error.status() == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"tarn\"");
        }
        boolean reusable = !body.failed() && (body.atEnd() || request.getLength() == 0 || body.drain(DRAIN_LIMIT));
        if (!reusable) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        try {
            new HttpApiResponse(response).json(error.status(), error.body());
            callback.succeeded();
        } catch (Throwable writeFailure) {
            callback.failed(writeFailure);
        }
    }

    /** True when writing the response failed because the connection is gone. */
    private static boolean clientGone(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof org.eclipse.jetty.io.EofException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    /** A path for messages and logs: control characters escaped, length bounded. */
    static String printable(String path) {
        if (path == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(path.length(), 512));
        appendPrintable(out, path);
        return out.toString();
    }

    /** Appends {@link #printable} of {@code path} to {@code out}, without an intermediate string. */
    static void appendPrintable(StringBuilder out, String path) {
        if (path == null) {
            return;
        }
        int start = out.length();
        for (int i = 0; i < path.length() && out.length() - start < 500; i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                out.append(c);
            }
        }
        if (out.length() - start >= 500) {
            out.append("...");
        }
    }
}

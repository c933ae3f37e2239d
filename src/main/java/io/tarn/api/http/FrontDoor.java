package io.tarn.api.http;

import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Jetty handler: hands each request to the first {@link Mount} whose matcher takes it, runs
 * the surface (blocking, on a virtual thread), and keeps the connection healthy whatever happens: a
 * failure goes back to the surface to be answered in its own language, the unread rest of a body is
 * drained (or the connection closed), and a response that broke after it was committed is aborted.
 * It knows no API: which surfaces exist and in what order is the server's wiring.
 */
public final class FrontDoor extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(FrontDoor.class);

    /** How much of an unread request body is read and dropped to keep the connection usable. */
    static final long DRAIN_LIMIT = 256L * 1024 * 1024;

    /**
     * How much of the body of a request that failed before it was authenticated is read before the
     * answer: enough for a client that sends its body without waiting to see the answer, too little
     * to be a way of making the server read for nobody. The connection is closed after such an answer.
     */
    static final long ANONYMOUS_DRAIN_LIMIT = 1024 * 1024;

    /** The request attribute under which the {@link Exchange} is kept for the request log. */
    static final String EXCHANGE_ATTRIBUTE = FrontDoor.class.getName() + ".exchange";

    private final Mount[] mounts;
    private final UploadSlots uploads;

    FrontDoor(List<Mount> mounts, UploadSlots uploads) {
        super(InvocationType.BLOCKING);
        if (mounts.isEmpty()) {
            throw new IllegalArgumentException("the front door needs at least one mount");
        }
        this.mounts = mounts.toArray(new Mount[0]);
        this.uploads = uploads;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange exchange = new Exchange(request, response);
        request.setAttribute(EXCHANGE_ATTRIBUTE, exchange);
        Surface surface = surfaceFor(exchange);
        exchange.surface(surface.name());
        String uploader = hasBody(request) ? exchange.clientAddress() : null;
        boolean slotTaken = false;
        try {
            if (uploader != null) {
                uploads.acquire(uploader);
                slotTaken = true;
            }
            surface.serve(exchange);
            if (!exchange.apiResponse().written()) {
                throw new IllegalStateException("surface " + surface.name() + " wrote no response");
            }
            finishBody(exchange);
            callback.succeeded();
        } catch (Throwable failure) {
            // refused for want of an upload slot: its body is not read at all
            fail(surface, exchange, failure, callback, uploader != null && !slotTaken);
        } finally {
            if (slotTaken) {
                uploads.release(uploader);
            }
        }
        return true;
    }

    private static boolean hasBody(Request request) {
        long length = request.getLength();
        return length > 0 || (length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }

    private Surface surfaceFor(Exchange exchange) {
        for (Mount mount : mounts) {
            if (mount.when().matches(exchange)) {
                return mount.surface();
            }
        }
        return NotFoundSurface.NOWHERE;
    }

    /** After a successful answer: read what is left of the body so the connection can be reused. */
    private static void finishBody(Exchange exchange) {
        RequestBody body = exchange.requestBody();
        if (!body.atEnd() && !body.failed() && hasBody(exchange.request())) {
            body.drain(DRAIN_LIMIT);
        }
    }

    private void fail(Surface surface, Exchange exchange, Throwable failure, Callback callback, boolean leaveBody) {
        Request request = exchange.request();
        Response response = exchange.jettyResponse();
        String path = printable(exchange.rawPath());
        if (response.isCommitted()) {
            // Too late for an error body: abort, so the client sees a broken response rather than a short one.
            if (clientGone(failure)) {
                LOG.info("{} {}: the client went away ({})", request.getMethod(), path, failure.getMessage());
            } else {
                LOG.error("{} {} failed after the response was committed", request.getMethod(), path, failure);
            }
            callback.failed(failure);
            return;
        }
        String allow = response.getHeaders().get(HttpHeader.ALLOW);
        response.reset();
        if (allow != null) {
            response.getHeaders().put(HttpHeader.ALLOW, allow);
        }
        if (failure instanceof ApiException apiFailure) {
            apiFailure.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        }
        boolean reusable = !leaveBody && dropRestOfBody(exchange);
        if (!reusable) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        int status;
        try {
            status = surface.answerFailure(exchange, failure);
            callback.succeeded();
        } catch (Throwable writeFailure) {
            callback.failed(writeFailure);
            LOG.info("{} {}: the error answer could not be written ({})", request.getMethod(), path,
                    writeFailure.toString());
            return;
        }
        boolean serverFault = status >= 500 && status != 501 && status != 503; // not built, or refused on purpose
        if (serverFault && clientGone(failure)) {
            LOG.info("{} {}: the client went away ({})", request.getMethod(), path, failure.getMessage());
        } else if (serverFault) {
            LOG.error("{} {} failed", request.getMethod(), path, failure);
        } else if (status >= 500) {
            LOG.info("{} {} -> {}: {}", request.getMethod(), path, status, failure.getMessage());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {}: {}", request.getMethod(), path, status, failure.getMessage());
        }
    }

    /**
     * Before an error answer: reads and drops what is left of the body, if that is worth it, and says
     * whether the connection can serve another request. A body its client has not sent yet (it waits
     * for {@code 100 Continue}) is never asked for; the body of a request that has no principal is
     * read only up to {@link #ANONYMOUS_DRAIN_LIMIT}; a body that does not end within the limit closes
     * the connection.
     */
    private static boolean dropRestOfBody(Exchange exchange) {
        RequestBody body = exchange.requestBody();
        Request request = exchange.request();
        if (body.failed()) {
            return false;
        }
        if (body.atEnd() || !hasBody(request)) {
            return true;
        }
        boolean waitsForContinue = body.bytesRead() == 0
                && "100-continue".equalsIgnoreCase(request.getHeaders().get(HttpHeader.EXPECT));
        if (waitsForContinue) {
            return false;
        }
        return body.drain(exchange.principal() == null ? ANONYMOUS_DRAIN_LIMIT : DRAIN_LIMIT);
    }

    /** True when writing the response failed because the connection is gone. */
    static boolean clientGone(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof org.eclipse.jetty.io.EofException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    /** A path for messages and logs: control characters escaped, length bounded. */
    public static String printable(String path) {
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

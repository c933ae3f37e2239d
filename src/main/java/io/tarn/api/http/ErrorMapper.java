package io.tarn.api.http;

import io.tarn.block.InvalidNamespaceException;
import io.tarn.error.TarnException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;

/**
 * Turns failures into HTTP statuses and {@code {"message": ...}} bodies for the JSON surfaces. What
 * is the same for every JSON API lives here (a malformed body, an {@link ApiException}, a Jetty-level
 * 4xx, anything unexpected as a 500 whose details stay in the server log); how domain errors
 * ({@link TarnException}) map is each surface's own {@link DomainErrors}, written in one place there.
 */
public final class ErrorMapper {

    /** A surface's mapping of domain errors to statuses and bodies. */
    @FunctionalInterface
    public interface DomainErrors {
        ErrorResponse map(TarnException error);
    }

    public static final String INTERNAL_ERROR = "internal server error";

    /** For surfaces that raise no domain errors: any that arrives is the server's fault. */
    public static final ErrorMapper NO_DOMAIN = new ErrorMapper(error -> of(500, INTERNAL_ERROR));

    private final DomainErrors domain;

    public ErrorMapper(DomainErrors domain) {
        this.domain = domain;
    }

    /** The status and JSON body to answer. */
    public record ErrorResponse(int status, Map<String, Object> body) {
        public String message() {
            return String.valueOf(body.get("message"));
        }

        /** True when the failure is the server's, not the client's: worth a stack trace in the log. */
        public boolean serverFault() {
            return status >= 500;
        }
    }

    public ErrorResponse map(Throwable failure) {
        MalformedBodyException malformed = find(failure, MalformedBodyException.class);
        if (malformed != null) {
            return of(400, malformed.getMessage());
        }
        if (failure instanceof TarnException domain) {
            return this.domain.map(domain);
        }
        if (failure instanceof ApiException api) {
            return of(api.status(), api.getMessage());
        }
        if (failure instanceof InvalidNamespaceException namespace) {
            return of(400, namespace.getMessage());
        }
        if (failure instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
            String reason = http.getReason();
            return of(http.getCode(), reason == null || reason.isBlank() ? "bad request" : reason);
        }
        // A domain error wrapped by a layer that does not know it (e.g. inside an UncheckedIOException).
        Throwable cause = failure.getCause();
        if (cause != null && cause != failure && (cause instanceof TarnException || cause instanceof ApiException
                || cause instanceof InvalidNamespaceException)) {
            return map(cause);
        }
        return of(500, INTERNAL_ERROR);
    }

    /** A plain {@code {"message": message}} error. */
    public static ErrorResponse of(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message == null || message.isBlank() ? defaultMessage(status) : message);
        return new ErrorResponse(status, body);
    }

    private static String defaultMessage(int status) {
        return status >= 500 ? INTERNAL_ERROR : "request failed with status " + status;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (type.isInstance(suppressed)) {
                    return type.cast(suppressed);
                }
            }
        }
        return null;
    }
}

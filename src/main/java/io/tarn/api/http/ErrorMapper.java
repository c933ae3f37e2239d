package io.tarn.api.http;

import io.tarn.block.InvalidNamespaceException;
import io.tarn.error.AlreadyExistsException;
import io.tarn.error.AmbiguousRefException;
import io.tarn.error.DefaultBranchException;
import io.tarn.error.DirtyBranchException;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.MergeConflictException;
import io.tarn.error.NotFoundException;
import io.tarn.error.NothingToCommitException;
import io.tarn.error.NothingToMergeException;
import io.tarn.error.TarnException;
import io.tarn.error.TooManyRetriesException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;

/**
 * The one place where failures become HTTP statuses and {@code {"message": ...}} bodies. Domain
 * errors keep their message; anything unexpected is a 500 whose details stay in the server log.
 */
public final class ErrorMapper {

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

    public static final String INTERNAL_ERROR = "internal server error";

    private ErrorMapper() {}

    public static ErrorResponse map(Throwable failure) {
        MalformedBodyException malformed = find(failure, MalformedBodyException.class);
        if (malformed != null) {
            return of(400, malformed.getMessage());
        }
        if (failure instanceof TarnException domain) {
            return mapDomain(domain);
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

    private static ErrorResponse mapDomain(TarnException domain) {
        return switch (domain) {
            case NotFoundException e -> of(404, e.getMessage());
            case AlreadyExistsException e -> of(409, e.getMessage());
            case InvalidArgumentException e -> of(400, e.getMessage());
            case MergeConflictException e -> mergeConflict(e);
            case NothingToCommitException e -> of(400, e.getMessage());
            case NothingToMergeException e -> of(400, e.getMessage());
            case DirtyBranchException e -> of(400, e.getMessage());
            case AmbiguousRefException e -> of(400, e.getMessage());
            case DefaultBranchException e -> of(400, e.getMessage());
            case TooManyRetriesException e -> of(503, e.getMessage());
        };
    }

    private static ErrorResponse mergeConflict(MergeConflictException e) {
        List<Map<String, Object>> results = new ArrayList<>(e.paths().size());
        for (String path : e.paths()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("path", path);
            result.put("path_type", "object");
            result.put("type", "conflict");
            results.add(result);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("added", 0);
        summary.put("removed", 0);
        summary.put("changed", 0);
        summary.put("conflict", e.total());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", e.getMessage());
        body.put("results", results);
        body.put("summary", summary);
        return new ErrorResponse(409, body);
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

package io.tarn.api.current;

import io.tarn.api.common.Inputs;
import io.tarn.api.common.Paging;
import io.tarn.api.http.ApiException;
import io.tarn.api.http.ApiRequest;
import io.tarn.error.InvalidArgumentException;
import java.util.Locale;
import java.util.Optional;

/** Query parameters as the current API has them: paging (default 100), booleans, unsupported options. */
final class Requests {
    /** The page size when {@code amount} is left out, 0 or negative. */
    static final int DEFAULT_AMOUNT = 100;

    private Requests() {}

    static String repository(ApiRequest request) {
        return Inputs.repositoryId(request.pathParam("repository"), "repository");
    }

    static String branch(ApiRequest request) {
        return Inputs.branchName(request.pathParam("branch"), "branch");
    }

    /** {@code after} and {@code amount}: amount left out or at most 0 is 100, above 1,000 is 1,000. */
    static Paging paging(ApiRequest request) {
        return Paging.of(request, DEFAULT_AMOUNT);
    }

    static String prefix(ApiRequest request) {
        return Inputs.pathPrefix(request.query("prefix").orElse(""), "prefix");
    }

    static String delimiter(ApiRequest request) {
        String delimiter = request.query("delimiter").orElse("");
        if (delimiter.length() > 16 || delimiter.indexOf('\0') >= 0) {
            throw new InvalidArgumentException("delimiter must be at most 16 characters without NUL");
        }
        return delimiter;
    }

    static String requiredQuery(ApiRequest request, String name) {
        return request.query(name).orElseThrow(
                () -> new InvalidArgumentException("query parameter '" + name + "' is required"));
    }

    /** A boolean query parameter ({@code true}/{@code false}, any case; empty = left out). */
    static boolean bool(ApiRequest request, String name, boolean otherwise) {
        Optional<String> raw = request.query(name);
        if (raw.isEmpty() || raw.get().isEmpty()) {
            return otherwise;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new InvalidArgumentException(name + " must be true or false: " + Inputs.quote(raw.get()));
        };
    }

    /** An integer query parameter (left out or empty: {@code otherwise}); anything else is a 400. */
    static int integer(ApiRequest request, String name, int otherwise) {
        Optional<String> raw = request.query(name);
        if (raw.isEmpty() || raw.get().isEmpty()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(raw.get().trim());
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException(name + " must be an integer: " + Inputs.quote(raw.get()));
        }
    }

    /** How long presigned URLs are valid (lakeFS's default). */
    static final java.time.Duration PRESIGN_TTL = java.time.Duration.ofMinutes(15);

    /** {@code presign=true} asked for. */
    static boolean presign(ApiRequest request) {
        return bool(request, "presign", false);
    }

    /** The answer to {@code presign=true} on a block store that makes no presigned URLs (getConfig says so). */
    static ApiException presignUnsupported() {
        return new ApiException(501, "presigned URLs are not supported by this server's block store"
                + " (pre_sign_support is false in getConfig)");
    }

    /** Refuses an option this server does not implement when it is set (to anything but its default). */
    static ApiException notImplemented(String what) {
        return new ApiException(501, what + " is not implemented by this server");
    }
}

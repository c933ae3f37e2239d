package io.tarn.api.http;

/**
 * Decides whether a request belongs to a surface. Matchers look only at the request line and headers
 * (never the body), and are cheap: they run for every request, in mount order.
 */
@FunctionalInterface
public interface RequestMatcher {

    boolean matches(Exchange exchange);

    default RequestMatcher or(RequestMatcher other) {
        return exchange -> matches(exchange) || other.matches(exchange);
    }

    /** Every request. */
    static RequestMatcher any() {
        return exchange -> true;
    }

    /** The path {@code path} exactly (as sent, before decoding). */
    static RequestMatcher path(String path) {
        return exchange -> exchange.rawPath().equals(path);
    }

    /** {@code prefix} itself and every path below it ({@code /api/v0} matches {@code /api/v0/x}, not {@code /api/v01}). */
    static RequestMatcher under(String prefix) {
        String withSlash = prefix + "/";
        return exchange -> {
            String p = exchange.rawPath();
            return p.startsWith(withSlash) || p.equals(prefix);
        };
    }
}

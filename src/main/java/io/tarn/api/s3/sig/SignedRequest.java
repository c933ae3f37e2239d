package io.tarn.api.s3.sig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What a signature covers of a request: method, path and query as sent, the decoded query, and the
 * headers by lower-case name (values in the order sent).
 *
 * @param rawPath  the path as sent, still percent-encoded
 * @param query    the query's parameters, decoded, in the order sent
 * @param bucket   the bucket when the request is virtual-host style ({@code <bucket>.<domain>}), else null
 */
public record SignedRequest(String method, String rawPath, List<AwsEncoding.Param> query,
                            Headers headers, String bucket) {
    public SignedRequest {
        query = List.copyOf(query);
    }

    /** A request from its raw query and its headers by lower-case name (values in the order sent). */
    public SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                         String bucket) {
        this(method, rawPath, AwsEncoding.parseQuery(rawQuery), Headers.of(headers), bucket);
    }

    /** The first value of a header, or null. */
    public String header(String lowerCaseName) {
        return headers.first(lowerCaseName);
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        for (AwsEncoding.Param p : query) {
            if (p.name().equals(name)) {
                return p.value();
            }
        }
        return null;
    }

    public boolean hasParam(String name) {
        return param(name) != null;
    }

    /**
     * A request's headers, looked up by lower-case name. The gateway's reads them where the HTTP
     * server keeps them (a signature covers a few; most requests never need them all).
     */
    public interface Headers {
        /** The values of a header in the order sent, one per header line (empty if absent). */
        List<String> values(String lowerCaseName);

        /** The first value of a header, or null. */
        default String first(String lowerCaseName) {
            List<String> values = values(lowerCaseName);
            return values.isEmpty() ? null : values.get(0);
        }

        /** Every header: lower-case name and its values, in the order first sent. */
        Map<String, List<String>> all();

        /** Headers held in a map by lower-case name. */
        static Headers of(Map<String, List<String>> byLowerCaseName) {
            Map<String, List<String>> copy = Collections.unmodifiableMap(new LinkedHashMap<>(byLowerCaseName));
            return new Headers() {
                @Override
                public List<String> values(String lowerCaseName) {
                    List<String> values = copy.get(lowerCaseName);
                    return values == null ? List.of() : values;
                }

                @Override
                public Map<String, List<String>> all() {
                    return copy;
                }
            };
        }

        /**
         * Every header of {@code forEach} (name as sent, value; a repeated header once per value),
         * grouped by lower-case name: for {@link #all()} of headers kept elsewhere.
         */
        static Map<String, List<String>> group(java.util.function.Consumer<BiConsumer<String, String>> forEach) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            forEach.accept((name, value) -> out.computeIfAbsent(name.toLowerCase(java.util.Locale.ROOT),
                    n -> new ArrayList<>(1)).add(value));
            return Collections.unmodifiableMap(out);
        }
    }
}

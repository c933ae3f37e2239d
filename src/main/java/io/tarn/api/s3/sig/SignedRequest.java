package io.tarn.api.s3.sig;

import java.util.List;
import java.util.Map;

/**
 * What a signature covers of a request: method, path and query as sent, the decoded query, and the
 * headers by lower-case name (values in the order sent).
 *
 * @param rawPath the path as sent, still percent-encoded
 * @param bucket  the bucket when the request is virtual-host style ({@code <bucket>.<domain>}), else null
 */
public record SignedRequest(String method, String rawPath, List<AwsEncoding.Param> query,
                            Map<String, List<String>> headers, String bucket) {
    public SignedRequest {
        query = List.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** The first value of a header, or null. */
    public String header(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? null : values.get(0);
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
}

package io.tarn.api.s3;

import io.tarn.api.http.Exchange;
import io.tarn.api.http.RequestMatcher;
import java.util.List;
import java.util.Locale;

/**
 * Which requests are S3 requests, by lakeFS's rule: the Host is one of the gateway's domain names
 * ({@code gateways.s3.domain_name}) or a subdomain of one (virtual-host style, {@code
 * <repo>.s3.local.lakefs.io}); or the request carries an AWS signature (SigV4 or SigV2, in the
 * {@code Authorization} header or as a presigned query) and its path is not one the server reserves
 * for its other doors ({@code /api/v0}, {@code /_health}, ...), so that {@code aws --endpoint-url
 * http://localhost:8000} works path-style.
 */
public final class S3Dispatch {
    private S3Dispatch() {}

    /**
     * @param domainNames the gateway's bare domain names (a {@code :port} suffix is ignored)
     * @param reserved    the paths of the other doors, which a signed request does not take from them
     */
    public static RequestMatcher matcher(List<String> domainNames, RequestMatcher reserved) {
        List<String> domains = domainNames.stream().map(S3Dispatch::bareHost).filter(d -> !d.isEmpty()).toList();
        String[] exact = domains.toArray(new String[0]);
        String[] suffixes = domains.stream().map(d -> "." + d).toArray(String[]::new);
        return exchange -> hostMatches(exchange.host(), exact, suffixes)
                || (isAwsSigned(exchange) && !reserved.matches(exchange));
    }

    private static boolean hostMatches(String host, String[] exact, String[] suffixes) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < exact.length; i++) {
            if (host.equals(exact[i]) || host.endsWith(suffixes[i])) {
                return true;
            }
        }
        return false;
    }

    /** True when the request is signed the AWS way: SigV4 or SigV2, header or presigned query. */
    public static boolean isAwsSigned(Exchange exchange) {
        String authorization = exchange.header("Authorization");
        if (authorization != null && (authorization.startsWith("AWS4-HMAC-SHA256 ") || authorization.startsWith("AWS "))) {
            return true;
        }
        String query = exchange.rawQuery();
        return query != null && (hasParam(query, "X-Amz-Credential") || hasParam(query, "X-Amz-Algorithm")
                || (hasParam(query, "AWSAccessKeyId") && hasParam(query, "Signature")));
    }

    private static boolean hasParam(String query, String name) {
        int at = query.indexOf(name + "=");
        return at == 0 || (at > 0 && query.charAt(at - 1) == '&');
    }

    /** {@code "S3.Local.lakefs.io:8000"} → {@code "s3.local.lakefs.io"}. */
    static String bareHost(String domain) {
        String d = domain.trim().toLowerCase(Locale.ROOT);
        int colon = d.lastIndexOf(':');
        if (colon > 0 && d.indexOf(']') < colon && d.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            d = d.substring(0, colon);
        }
        while (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }
}

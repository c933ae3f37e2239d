package io.tarn.api.s3;

import io.tarn.api.http.Exchange;
import io.tarn.api.s3.sig.AwsEncoding;
import io.tarn.api.s3.sig.SignedRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One S3 request, addressed: bucket (= repository) and key (= {@code <ref>/<path>}), path-style
 * ({@code /<bucket>/<key>}) or virtual-host style ({@code <bucket>.<domain>/<key>}), with its decoded
 * query and headers.
 */
final class S3Request {
    final Exchange exchange;
    final SignedRequest signed;
    /** The repository, or null (the service: ListBuckets). */
    final String bucket;
    /** {@code <ref>/<path>} decoded, or null (a bucket request). */
    final String key;

    private S3Request(Exchange exchange, SignedRequest signed, String bucket, String key) {
        this.exchange = exchange;
        this.signed = signed;
        this.bucket = bucket;
        this.key = key;
    }

    static S3Request of(Exchange exchange, List<String> domains) {
        String host = exchange.host();
        String virtualBucket = null;
        for (String domain : domains) {
            if (host.length() > domain.length() + 1 && host.endsWith("." + domain)) {
                virtualBucket = host.substring(0, host.length() - domain.length() - 1);
                break;
            }
        }
        List<AwsEncoding.Param> query;
        String path;
        try {
            query = AwsEncoding.parseQuery(exchange.rawQuery());
            path = AwsEncoding.decode(exchange.rawPath());
        } catch (IllegalArgumentException e) {
            throw new S3Error(400, "InvalidURI", "Couldn't parse the specified URI: " + e.getMessage());
        }
        SignedRequest signed = new SignedRequest(exchange.method(), exchange.rawPath(), query,
                new ExchangeHeaders(exchange), virtualBucket);
        String bucket;
        String key;
        String rest = path.startsWith("/") ? path.substring(1) : path;
        if (virtualBucket != null) {
            bucket = virtualBucket;
            key = rest.isEmpty() ? null : rest;
        } else if (rest.isEmpty()) {
            bucket = null;
            key = null;
        } else {
            int slash = rest.indexOf('/');
            bucket = slash < 0 ? rest : rest.substring(0, slash);
            key = slash < 0 || slash == rest.length() - 1 ? null : rest.substring(slash + 1);
        }
        return new S3Request(exchange, signed, bucket, key);
    }

    /**
     * The headers where the HTTP server keeps them: a lookup by name is the server's own, and the
     * map of them all is made only for the few that ask (SigV2, the checksum headers of an upload).
     */
    private static final class ExchangeHeaders implements SignedRequest.Headers {
        private final Exchange exchange;
        private Map<String, List<String>> all;

        ExchangeHeaders(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public List<String> values(String lowerCaseName) {
            return exchange.headerValues(lowerCaseName);
        }

        @Override
        public String first(String lowerCaseName) {
            return exchange.header(lowerCaseName);
        }

        @Override
        public Map<String, List<String>> all() {
            if (all == null) {
                all = SignedRequest.Headers.group(exchange::forEachHeader);
            }
            return all;
        }
    }

    String method() {
        return exchange.method();
    }

    String header(String lowerCaseName) {
        return signed.header(lowerCaseName);
    }

    String param(String name) {
        return signed.param(name);
    }

    boolean hasParam(String name) {
        return signed.hasParam(name);
    }

    /** Whether a query parameter's name starts with {@code prefix} (one look at the query for a family of them). */
    boolean hasParamStartingWith(String prefix) {
        for (AwsEncoding.Param p : signed.query()) {
            if (p.name().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The ref part of the key ({@code main} of {@code main/a/b}), or the whole key when it has no '/'. */
    String ref() {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash);
    }

    /** The path part of the key ({@code a/b} of {@code main/a/b}), or null when the key is only a ref. */
    String path() {
        int slash = key.indexOf('/');
        return slash < 0 || slash == key.length() - 1 ? null : key.substring(slash + 1);
    }

    /**
     * The {@code x-amz-meta-*} headers, suffix in the case it was sent (read from the request's
     * headers as sent when an operation asks: most requests carry none and never ask).
     */
    Map<String, String> userMetadata() {
        Map<String, String> out = new LinkedHashMap<>();
        exchange.forEachHeader((name, value) -> {
            if (name.length() > 11 && name.regionMatches(true, 0, "x-amz-meta-", 0, 11)) {
                out.merge(name.substring(11), value, (a, b) -> a + "," + b);
            }
        });
        return out;
    }

    long contentLength() {
        String v = header("content-length");
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

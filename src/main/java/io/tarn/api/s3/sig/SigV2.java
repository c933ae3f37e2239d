package io.tarn.api.s3.sig;

import io.tarn.api.s3.S3Error;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * AWS Signature Version 2 for S3: the {@code Authorization: AWS <key>:<signature>} header and the
 * presigned query ({@code AWSAccessKeyId}, {@code Expires}, {@code Signature}), which is what boto3's
 * {@code generate_presigned_url} makes by default. HMAC-SHA1 over method, Content-MD5, Content-Type,
 * date (or expiry), the {@code x-amz-*} headers and the resource with its sub-resources.
 */
public final class SigV2 {
    /** The query parameters that are part of the signed resource. */
    static final Set<String> SUB_RESOURCES = Set.of("acl", "cors", "delete", "lifecycle", "location", "logging",
            "notification", "partNumber", "policy", "requestPayment", "restore", "tagging", "torrent", "uploadId",
            "uploads", "versionId", "versioning", "versions", "website", "response-cache-control",
            "response-content-disposition", "response-content-encoding", "response-content-language",
            "response-content-type", "response-expires");

    private SigV2() {}

    /** A parsed SigV2 signature; {@code expires} is the presigned expiry (epoch seconds) or null for a header. */
    public record Auth(String accessKeyId, String signature, String expires) {
        public boolean presigned() {
            return expires != null;
        }
    }

    public static Auth parseHeader(String authorization, SignedRequest request, Instant now) {
        String rest = authorization.substring("AWS ".length()).trim();
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new S3Error(400, "InvalidArgument", "the Authorization header must be 'AWS <AccessKeyId>:<Signature>'");
        }
        String date = request.header("x-amz-date");
        if (date == null) {
            date = request.header("date");
        }
        if (date == null) {
            throw new S3Error(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
        }
        Instant at;
        try {
            at = ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new S3Error(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
        }
        SigV4.checkSkew(at, now);
        return new Auth(rest.substring(0, colon), rest.substring(colon + 1), null);
    }

    public static Auth parseQuery(SignedRequest request, Instant now) {
        String key = request.param("AWSAccessKeyId");
        String signature = request.param("Signature");
        String expires = request.param("Expires");
        if (key == null || key.isEmpty() || signature == null || signature.isEmpty() || expires == null) {
            throw new S3Error(403, "AccessDenied", "Query-string authentication requires the Signature, Expires and"
                    + " AWSAccessKeyId parameters");
        }
        long at;
        try {
            at = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw new S3Error(403, "AccessDenied", "Expires must be a number of seconds since the epoch");
        }
        if (now.getEpochSecond() > at) {
            throw new S3Error(403, "AccessDenied", "Request has expired");
        }
        return new Auth(key, signature, expires);
    }

    /** The string to sign; the resource is {@code /<bucket>} + the path as sent for virtual-host requests. */
    public static String stringToSign(SignedRequest request, Auth auth) {
        return stringToSign(request, auth, request.rawPath().isEmpty() ? "/" : request.rawPath());
    }

    static String stringToSign(SignedRequest request, Auth auth, String path) {
        StringBuilder out = new StringBuilder(256);
        out.append(request.method()).append('\n');
        out.append(orEmpty(request.header("content-md5"))).append('\n');
        out.append(orEmpty(request.header("content-type"))).append('\n');
        if (auth.presigned()) {
            out.append(auth.expires());
        } else if (request.header("x-amz-date") == null) {
            out.append(orEmpty(request.header("date")));
        }
        out.append('\n');
        Map<String, String> amz = new TreeMap<>();
        for (Map.Entry<String, List<String>> h : request.headers().all().entrySet()) {
            if (h.getKey().startsWith("x-amz-")) {
                List<String> values = new ArrayList<>();
                for (String v : h.getValue()) {
                    values.add(v.strip());
                }
                amz.put(h.getKey(), String.join(",", values));
            }
        }
        amz.forEach((name, value) -> out.append(name).append(':').append(value).append('\n'));
        if (request.bucket() != null) {
            out.append('/').append(request.bucket());
        }
        out.append(path);
        TreeMap<String, String> sub = new TreeMap<>();
        for (AwsEncoding.Param p : request.query()) {
            if (SUB_RESOURCES.contains(p.name())) {
                sub.putIfAbsent(p.name(), p.value());
            }
        }
        char sep = '?';
        for (Map.Entry<String, String> e : sub.entrySet()) {
            out.append(sep).append(e.getKey());
            if (!e.getValue().isEmpty()) {
                out.append('=').append(e.getValue());
            }
            sep = '&';
        }
        return out.toString();
    }

    public static String sign(String secret, String stringToSign) {
        return Base64.getEncoder().encodeToString(
                Hashing.hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), stringToSign));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The check of one request's SigV2 signature. */
    public static final class Check implements SignatureVerifier {
        private final SignedRequest request;
        private final Auth auth;

        public Check(SignedRequest request, Auth auth) {
            this.request = request;
            this.auth = auth;
        }

        @Override
        public String accessKeyId() {
            return auth.accessKeyId();
        }

        /**
         * The path as sent; for a path-style bucket request ({@code /bucket}) also {@code /bucket/},
         * which botocore signs.
         */
        @Override
        public boolean verify(String secretAccessKey) {
            String path = request.rawPath().isEmpty() ? "/" : request.rawPath();
            if (Hashing.same(sign(secretAccessKey, stringToSign(request, auth, path)), auth.signature())) {
                return true;
            }
            boolean bucketOnly = request.bucket() == null && path.indexOf('/', 1) < 0 && path.length() > 1;
            return bucketOnly
                    && Hashing.same(sign(secretAccessKey, stringToSign(request, auth, path + "/")), auth.signature());
        }
    }
}

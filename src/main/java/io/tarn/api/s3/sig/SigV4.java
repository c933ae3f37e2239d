package io.tarn.api.s3.sig;

import io.tarn.api.s3.S3Error;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;

/**
 * AWS Signature Version 4 for S3: the {@code Authorization: AWS4-HMAC-SHA256 ...} header and the
 * presigned query ({@code X-Amz-Algorithm}, {@code X-Amz-Credential}, ...). Parsing checks the form
 * and the time (15 minutes of clock skew; a presigned URL lives at most 7 days); {@link Check#verify}
 * then checks the signature with the secret and keeps the signing key for chunk signatures.
 */
public final class SigV4 {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    public static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    public static final long MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

    private SigV4() {}

    /**
     * A parsed SigV4 signature.
     *
     * @param date          the scope's date, {@code yyyyMMdd}
     * @param amzDate       the request time, {@code yyyyMMdd'T'HHmmss'Z'}
     * @param payloadHash   the payload hash signed: hex SHA-256, {@code UNSIGNED-PAYLOAD} or a {@code STREAMING-*} mode
     */
    public record Auth(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
                       String signature, String amzDate, boolean presigned, String payloadHash) {

        public String scope() {
            return date + "/" + region + "/" + service + "/aws4_request";
        }
    }

    /** Parses the Authorization header and checks the request time against {@code now}. */
    public static Auth parseHeader(String authorization, SignedRequest request, Instant now) {
        if (!authorization.startsWith(ALGORITHM + " ")) {
            throw malformed("the Authorization header must start with " + ALGORITHM);
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = p.substring(0, eq).trim();
            String value = p.substring(eq + 1).trim();
            switch (name) {
                case "Credential" -> credential = value;
                case "SignedHeaders" -> signedHeaders = value;
                case "Signature" -> signature = value;
                default -> { }
            }
        }
        if (credential == null || signedHeaders == null || signature == null) {
            throw malformed("the Authorization header needs Credential, SignedHeaders and Signature");
        }
        String amzDate = request.header("x-amz-date");
        if (amzDate == null) {
            throw new S3Error(403, "AccessDenied", "AWS authentication requires a valid x-amz-date header");
        }
        Instant at = parseAmzDate(amzDate, "x-amz-date");
        checkSkew(at, now);
        String payload = request.header("x-amz-content-sha256");
        if (payload == null) {
            throw new S3Error(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
        }
        checkPayloadHash(payload);
        return build(credential, signedHeaders, signature, amzDate, false, payload);
    }

    /** Parses a presigned query and checks its time and expiry against {@code now}. */
    public static Auth parseQuery(SignedRequest request, Instant now) {
        String algorithm = request.param("X-Amz-Algorithm");
        String credential = request.param("X-Amz-Credential");
        String signedHeaders = request.param("X-Amz-SignedHeaders");
        String signature = request.param("X-Amz-Signature");
        String amzDate = request.param("X-Amz-Date");
        String expires = request.param("X-Amz-Expires");
        if (!ALGORITHM.equals(algorithm)) {
            throw queryError("X-Amz-Algorithm only supports \"" + ALGORITHM + "\"");
        }
        if (credential == null || signedHeaders == null || signature == null || amzDate == null || expires == null) {
            throw queryError("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential,"
                    + " X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }
        long seconds;
        try {
            seconds = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw queryError("X-Amz-Expires should be a number");
        }
        if (seconds < 1) {
            throw queryError("X-Amz-Expires must be non-negative");
        }
        if (seconds > MAX_PRESIGN_SECONDS) {
            throw queryError("X-Amz-Expires must be less than a week (in seconds) that is 604800");
        }
        Instant at = parseAmzDate(amzDate, "X-Amz-Date");
        if (at.isAfter(now.plus(MAX_SKEW))) {
            throw new S3Error(403, "AccessDenied", "Request is not valid yet");
        }
        if (now.isAfter(at.plusSeconds(seconds))) {
            throw new S3Error(403, "AccessDenied", "Request has expired");
        }
        String payload = request.param("X-Amz-Content-Sha256");
        if (payload == null) {
            payload = UNSIGNED_PAYLOAD;
        }
        return build(credential, signedHeaders, signature, amzDate, true, payload);
    }

    private static Auth build(String credential, String signedHeaders, String signature, String amzDate,
                              boolean presigned, String payload) {
        String[] scope = splitSlashes(credential);
        if (scope.length != 5 || scope[0].isEmpty() || !"aws4_request".equals(scope[4])) {
            throw presigned ? queryError("malformed X-Amz-Credential: " + credential)
                    : malformed("the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"");
        }
        if (!amzDate.startsWith(scope[1])) {
            throw new S3Error(403, "SignatureDoesNotMatch", "the date of the credential scope (" + scope[1]
                    + ") is not the date of the request (" + amzDate + ")");
        }
        if (!"s3".equals(scope[3])) {
            throw malformed("the credential scope names service '" + scope[3] + "'; this endpoint is s3");
        }
        List<String> headers = List.of(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
        if (!headers.contains("host")) {
            throw new S3Error(403, "AccessDenied", "the host header must be signed");
        }
        if (signature.length() != 64) {
            throw new S3Error(403, "SignatureDoesNotMatch", "the signature is not 64 hex digits");
        }
        return new Auth(scope[0], scope[1], scope[2], scope[3], headers, signature.toLowerCase(Locale.ROOT),
                amzDate, presigned, payload);
    }

    /** {@code value.split("/")} (trailing empty parts dropped, {@code ""} one empty part), without a regex's list. */
    static String[] splitSlashes(String value) {
        if (value.isEmpty()) {
            return new String[] {""};
        }
        int slashes = 0;
        for (int i = value.indexOf('/'); i >= 0; i = value.indexOf('/', i + 1)) {
            slashes++;
        }
        String[] parts = new String[slashes + 1];
        int from = 0;
        for (int k = 0; k < slashes; k++) {
            int slash = value.indexOf('/', from);
            parts[k] = value.substring(from, slash);
            from = slash + 1;
        }
        parts[slashes] = value.substring(from);
        int n = parts.length;
        while (n > 0 && parts[n - 1].isEmpty()) {
            n--;
        }
        return n == parts.length ? parts : Arrays.copyOf(parts, n);
    }

    private static void checkPayloadHash(String payload) {
        switch (payload) {
            case UNSIGNED_PAYLOAD, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER -> { }
            default -> {
                if (!Hashing.isSha256Hex(payload)) {
                    throw new S3Error(400, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a"
                            + " STREAMING-* mode, or a SHA-256 hex digest");
                }
            }
        }
    }

    /**
     * {@code yyyyMMdd'T'HHmmss'Z'}, read field by field (every request carries one; a
     * {@code DateTimeFormatter} parse costs as much as the rest of the signature's parsing); a date
     * that does not exist (February 30, hour 24) is refused.
     */
    static Instant parseAmzDate(String value, String what) {
        if (value.length() == 16 && value.charAt(8) == 'T' && value.charAt(15) == 'Z') {
            int year = digits(value, 0, 4);
            int month = digits(value, 4, 6);
            int day = digits(value, 6, 8);
            int hour = digits(value, 9, 11);
            int minute = digits(value, 11, 13);
            int second = digits(value, 13, 15);
            if ((year | month | day | hour | minute | second) >= 0) {
                try {
                    return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
                } catch (DateTimeException e) {
                    // not a date: refused below
                }
            }
        }
        throw new S3Error(403, "AccessDenied", what + " is not a valid date (yyyyMMdd'T'HHmmss'Z'): " + value);
    }

    /** The decimal number of {@code value[from, to)}, or -1 if one of them is not an ASCII digit. */
    private static int digits(String value, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    static void checkSkew(Instant at, Instant now) {
        if (Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new S3Error(403, "RequestTimeTooSkewed",
                    "The difference between the request time and the server's time is too large.");
        }
    }

    // ---- the computation ---------------------------------------------------------------------

    /** The canonical request for {@code canonicalUri} (the path, encoded once). */
    public static String canonicalRequest(SignedRequest request, Auth auth, String canonicalUri) {
        return canonicalRequestText(request, auth, canonicalUri).toString();
    }

    /** {@link #canonicalRequest} as the UTF-8 bytes that are hashed. */
    static SigningText canonicalRequestText(SignedRequest request, Auth auth, String canonicalUri) {
        SigningText out = new SigningText(512);
        out.append(request.method()).append('\n').append(canonicalUri).append('\n');
        appendCanonicalQuery(out, request, auth.presigned());
        out.append('\n');
        for (String name : auth.signedHeaders()) {
            out.append(name).append(':');
            appendCanonicalHeaderValue(out, request.headers().values(name));
            out.append('\n');
        }
        out.append('\n');
        List<String> names = auth.signedHeaders();
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(';');
            }
            out.append(names.get(i));
        }
        out.append('\n').append(auth.payloadHash());
        return out;
    }

    private static void appendCanonicalQuery(SigningText out, SignedRequest request, boolean presigned) {
        List<String[]> pairs = new ArrayList<>(request.query().size());
        for (AwsEncoding.Param p : request.query()) {
            if (presigned && p.name().equals("X-Amz-Signature")) {
                continue;
            }
            pairs.add(new String[] {AwsEncoding.uriEncode(p.name(), false), AwsEncoding.uriEncode(p.value(), false)});
        }
        // by name, then value (as code points of their encoded forms: ASCII); a few parameters, sorted by insertion
        for (int i = 1; i < pairs.size(); i++) {
            String[] p = pairs.get(i);
            int j = i;
            while (j > 0 && compare(pairs.get(j - 1), p) > 0) {
                pairs.set(j, pairs.get(j - 1));
                j--;
            }
            pairs.set(j, p);
        }
        for (int i = 0; i < pairs.size(); i++) {
            if (i > 0) {
                out.append('&');
            }
            out.append(pairs.get(i)[0]).append('=').append(pairs.get(i)[1]);
        }
    }

    private static int compare(String[] a, String[] b) {
        int byName = a[0].compareTo(b[0]);
        return byName != 0 ? byName : a[1].compareTo(b[1]);
    }

    /** Values trimmed, inner runs of spaces made one, several values joined with commas. */
    static String canonicalHeaderValue(List<String> values) {
        SigningText out = new SigningText(64);
        appendCanonicalHeaderValue(out, values);
        return out.toString();
    }

    private static void appendCanonicalHeaderValue(SigningText out, List<String> values) {
        if (values == null) {
            return;
        }
        for (int v = 0; v < values.size(); v++) {
            if (v > 0) {
                out.append(',');
            }
            String value = values.get(v);
            if (isCanonicalHeaderValue(value)) {
                out.append(value); // most values: nothing to trim, no run of spaces, no tab
                continue;
            }
            value = value.strip();
            boolean space = false;
            int from = 0;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == ' ' || c == '\t') {
                    if (!space) {
                        out.append(value.substring(from, i));
                    }
                    space = true;
                } else if (space) {
                    out.append(' ');
                    space = false;
                    from = i;
                }
            }
            out.append(value.substring(from));
        }
    }

    /** Whether a header value is canonical as it is: not to be trimmed, with no tab and no two spaces in a row. */
    private static boolean isCanonicalHeaderValue(String value) {
        int n = value.length();
        if (n > 0 && (Character.isWhitespace(value.charAt(0)) || Character.isWhitespace(value.charAt(n - 1))
                || Character.isSpaceChar(value.charAt(0)) || Character.isSpaceChar(value.charAt(n - 1)))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == '\t' || (c == ' ' && i + 1 < n && value.charAt(i + 1) == ' ')) {
                return false;
            }
        }
        return true;
    }

    /** The string to sign of a canonical request, as text: {@link #stringToSign(Auth, SigningText)} read back. */
    public static String stringToSign(Auth auth, String canonicalRequest) {
        return stringToSign(auth, new SigningText(canonicalRequest.length() + 16).append(canonicalRequest)).toString();
    }

    /** The string to sign of a canonical request's bytes, as the bytes that are signed. */
    static SigningText stringToSign(Auth auth, SigningText canonicalRequest) {
        return new SigningText(160).append(ALGORITHM).append('\n').append(auth.amzDate()).append('\n')
                .append(auth.date()).append('/').append(auth.region()).append('/').append(auth.service())
                .append("/aws4_request\n")
                .appendHex(Hashing.sha256(canonicalRequest.array(), canonicalRequest.length()));
    }

    /** What a SigV4 signing key is derived from. */
    private record SigningScope(String secret, String date, String region, String service) {
        @Override
        public String toString() {
            return "SigningScope[" + date + "/" + region + "/" + service + "]"; // never the secret
        }
    }

    /**
     * Signing keys derived lately (four HMACs each), by secret and scope: a client signing every request
     * with one key on one day derives it once. Entries live 20 s, as the secrets they come from do in
     * the auth service's cache, and only a request that presents the right secret's signature can
     * use one (the secret is part of the key). A plain concurrent map, emptied when it reaches its
     * bound: a lookup is one hash of the scope, where a cache with eviction policies cost a few
     * microseconds more on every request.
     */
    private static final ConcurrentHashMap<SigningScope, SigningKey> SIGNING_KEYS = new ConcurrentHashMap<>();
    static final int SIGNING_KEYS_MAX = 4_096;
    private static final long SIGNING_KEY_TTL_NANOS = Duration.ofSeconds(20).toNanos();

    /** A derived signing key, an HMAC already keyed with it (cloned for each signature), and when it was derived. */
    record SigningKey(byte[] key, Mac keyed, long derivedAtNanos) {
        byte[] sign(SigningText stringToSign) {
            return Hashing.hmacSha256(keyed, stringToSign.array(), stringToSign.length());
        }
    }

    static SigningKey cachedSigningKey(String secret, String date, String region, String service) {
        SigningScope scope = new SigningScope(secret, date, region, service);
        long now = System.nanoTime();
        SigningKey known = SIGNING_KEYS.get(scope);
        if (known != null && now - known.derivedAtNanos() < SIGNING_KEY_TTL_NANOS) {
            return known;
        }
        byte[] key = signingKey(secret, date, region, service);
        SigningKey derived = new SigningKey(key, Hashing.keyedHmacSha256(key), now);
        if (SIGNING_KEYS.size() >= SIGNING_KEYS_MAX) {
            SIGNING_KEYS.clear();
        }
        SIGNING_KEYS.put(scope, derived);
        return derived;
    }

    public static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] k = Hashing.hmacSha256(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        k = Hashing.hmacSha256(k, region);
        k = Hashing.hmacSha256(k, service);
        return Hashing.hmacSha256(k, "aws4_request");
    }

    public static String sign(byte[] signingKey, String stringToSign) {
        return Hashing.hex(Hashing.hmacSha256(signingKey, stringToSign));
    }

    /**
     * The canonical URIs a client may have signed: the path as sent, and the path decoded and
     * encoded again the AWS way (for clients that send some characters unencoded).
     */
    static List<String> canonicalUris(String rawPath) {
        String sent = rawPath.isEmpty() ? "/" : rawPath;
        if (AwsEncoding.isCanonical(sent, true)) {
            return List.of(sent);
        }
        String again;
        try {
            again = AwsEncoding.uriEncode(AwsEncoding.decode(sent), true);
        } catch (IllegalArgumentException e) {
            return List.of(sent);
        }
        return again.equals(sent) ? List.of(sent) : List.of(sent, again);
    }

    /**
     * The check of one request's SigV4 signature: given the secret, verifies it, and from then on
     * knows the signing key and seed signature that chunk signatures chain from.
     */
    public static final class Check implements SignatureVerifier {
        private final SignedRequest request;
        private final Auth auth;
        private volatile byte[] signingKey;

        public Check(SignedRequest request, Auth auth) {
            this.request = request;
            this.auth = auth;
        }

        public Auth auth() {
            return auth;
        }

        @Override
        public String accessKeyId() {
            return auth.accessKeyId();
        }

        @Override
        public boolean verify(String secretAccessKey) {
            byte[] presented = Hashing.unhex(auth.signature());
            if (presented == null) {
                return false;
            }
            SigningKey key = cachedSigningKey(secretAccessKey, auth.date(), auth.region(), auth.service());
            for (String uri : canonicalUris(request.rawPath())) {
                byte[] expected = key.sign(stringToSign(auth, canonicalRequestText(request, auth, uri)));
                if (java.security.MessageDigest.isEqual(expected, presented)) {
                    signingKey = key.key();
                    return true;
                }
            }
            return false;
        }

        /** The chunk signer of a streaming upload; only after a successful {@link #verify}. */
        public ChunkSigner chunkSigner() {
            byte[] key = signingKey;
            if (key == null) {
                throw new IllegalStateException("the request signature was not verified");
            }
            return new ChunkSigner(key, auth.amzDate(), auth.scope(), auth.signature());
        }
    }

    private static S3Error malformed(String message) {
        return new S3Error(400, "AuthorizationHeaderMalformed", message);
    }

    private static S3Error queryError(String message) {
        return new S3Error(400, "AuthorizationQueryParametersError", message);
    }
}

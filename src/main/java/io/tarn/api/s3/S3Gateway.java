package io.tarn.api.s3;

import io.tarn.api.http.Exchange;
import io.tarn.api.http.Surface;
import io.tarn.api.s3.sig.AwsChunkedPayload;
import io.tarn.api.s3.sig.CheckedPayload;
import io.tarn.api.s3.sig.HashedPayload;
import io.tarn.api.s3.sig.SigV2;
import io.tarn.api.s3.sig.SigV4;
import io.tarn.api.s3.sig.SignatureVerifier;
import io.tarn.auth.AuthDirectory;
import io.tarn.auth.Authenticator;
import io.tarn.auth.policy.Permission;
import io.tarn.auth.PresentedCredentials;
import io.tarn.auth.Principal;
import io.tarn.engine.Engine;
import java.io.BufferedInputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The door of the S3 gateway: {@code s3://<repository>/<ref>/<path>}. Each request is addressed
 * ({@link S3Request}), its operation chosen (and recorded for the access log and metrics), its AWS
 * signature checked (SigV4 or SigV2, header or presigned) through the {@link Authenticator}, and then
 * authorized by the signer's policies ({@link S3Access}: a denial is {@code AccessDenied}), and then
 * served by {@link S3Buckets}, {@link S3Objects} or {@link S3Multipart}. Failures are S3 XML errors ({@link S3Errors}).
 */
public final class S3Gateway implements Surface {
    private final Authenticator authenticator;
    private final AuthDirectory directory;
    private final List<String> domains;
    private final Clock clock;
    private final S3Buckets buckets;
    private final S3Objects objects;
    private final S3Multipart multipart;

    /**
     * @param domainNames the bare domain names of virtual-host addressing ({@code gateways.s3.domain_name})
     * @param region      the region answered by GetBucketLocation ({@code gateways.s3.region})
     */
    public S3Gateway(Engine engine, Authenticator authenticator, AuthDirectory directory, List<String> domainNames,
                     String region, Clock clock) {
        this.authenticator = authenticator;
        this.directory = directory;
        this.domains = domainNames.stream().map(S3Dispatch::bareHost).filter(d -> !d.isEmpty()).toList();
        this.clock = clock;
        this.buckets = new S3Buckets(engine, region);
        this.objects = new S3Objects(engine);
        this.multipart = new S3Multipart(engine, objects);
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public void serve(Exchange exchange) throws Exception {
        exchange.responseHeader("x-amz-request-id", exchange.requestId());
        S3Request request = S3Request.of(exchange, domains);
        S3Operation operation = S3Operation.of(request);
        exchange.operation(operation.name());
        Signed signed = authenticate(request);
        exchange.principal(signed.principal());
        List<Permission> required = S3Access.required(operation, request);
        if (!required.isEmpty()) {
            directory.authorize(signed.principal().userId(), required);
        }
        Call call = new Call(request, signed);
        switch (operation) {
            case ListBuckets -> buckets.listBuckets(call);
            case HeadBucket -> buckets.headBucket(call);
            case GetBucketLocation -> buckets.location(call);
            case GetBucketVersioning -> buckets.versioning(call);
            case ListObjects -> buckets.listObjects(call, false);
            case ListObjectsV2 -> buckets.listObjects(call, true);
            case CreateBucket -> buckets.createBucket(call);
            case GetObject -> objects.get(call, false);
            case HeadObject -> objects.get(call, true);
            case PutObject -> objects.put(call);
            case CopyObject -> objects.copy(call);
            case DeleteObject -> objects.delete(call);
            case DeleteObjects -> objects.deleteMany(call);
            case CreateMultipartUpload -> multipart.create(call);
            case UploadPart -> multipart.uploadPart(call);
            case UploadPartCopy -> multipart.uploadPartCopy(call);
            case CompleteMultipartUpload -> multipart.complete(call);
            case AbortMultipartUpload -> multipart.abort(call);
            case ListParts -> multipart.listParts(call);
            case ListMultipartUploads -> multipart.listUploads(call);
            case GetObjectTagging -> objects.tagging(call);
            case GetObjectAcl -> objects.acl(call);
            case GetBucketTagging -> buckets.tagging(call);
            case GetBucketAcl -> buckets.acl(call);
            default -> throw operation.unsupported(request);
        }
    }

    @Override
    public int answerFailure(Exchange exchange, Throwable failure) {
        return S3Errors.answer(exchange, failure);
    }

    /** Who signed the request, and with what (the SigV4 check carries the chunk signing key). */
    record Signed(Principal principal, SigV4.Check v4) {}

    /** A request being served, with its checked signature. */
    final class Call {
        final S3Request request;
        final Signed signed;

        Call(S3Request request, Signed signed) {
            this.request = request;
            this.signed = signed;
        }

        /** @throws io.tarn.error.AccessDeniedException unless the signer may do all of {@code required} */
        void authorize(List<Permission> required) {
            directory.authorize(signed.principal().userId(), required);
        }

        /**
         * The request body, checked as it is read the way its signature says: a signed SHA-256,
         * aws-chunked with chunk signatures and/or trailing checksums, Content-MD5, and its length.
         */
        CheckedPayload payload() {
            return S3Gateway.payload(request, signed, true);
        }

        /**
         * {@link #payload()} of a request whose {@code x-amz-checksum-*} headers are not about its body
         * (CompleteMultipartUpload: they are the whole object's).
         */
        CheckedPayload payloadWithoutChecksumHeaders() {
            return S3Gateway.payload(request, signed, false);
        }

        /** The length of the object the body carries (decoded, for aws-chunked), or -1. */
        long objectLength() {
            String mode = payloadMode(request, signed);
            if (mode != null && mode.startsWith("STREAMING-")) {
                return AwsChunkedPayload.decodedLength(request.header("x-amz-decoded-content-length"));
            }
            return request.contentLength();
        }
    }

    private Signed authenticate(S3Request request) {
        String authorization = request.header("authorization");
        Instant now = clock.instant();
        SignatureVerifier verifier;
        SigV4.Check v4 = null;
        if (authorization != null && authorization.startsWith(SigV4.ALGORITHM + " ")) {
            v4 = new SigV4.Check(request.signed, SigV4.parseHeader(authorization, request.signed, now));
            verifier = v4;
        } else if (authorization != null && authorization.startsWith("AWS ")) {
            verifier = new SigV2.Check(request.signed, SigV2.parseHeader(authorization, request.signed, now));
        } else if (request.hasParam("X-Amz-Algorithm") || request.hasParam("X-Amz-Credential")) {
            v4 = new SigV4.Check(request.signed, SigV4.parseQuery(request.signed, now));
            verifier = v4;
        } else if (request.hasParam("AWSAccessKeyId") || request.hasParam("Signature")) {
            verifier = new SigV2.Check(request.signed, SigV2.parseQuery(request.signed, now));
        } else if (authorization != null) {
            throw new S3Error(400, "InvalidArgument", "Unsupported Authorization Type");
        } else {
            throw new S3Error(403, "AccessDenied", "Access Denied (the request is not signed: anonymous access is"
                    + " not allowed)");
        }
        PresentedCredentials credentials = new PresentedCredentials.AwsSignature(verifier.accessKeyId(), verifier::verify);
        Principal principal = authenticator.authenticate(credentials).orElseThrow(() -> new S3Error(403,
                "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you"
                + " provided. Check your key and signing method."));
        return new Signed(principal, v4);
    }

    /** The x-amz-content-sha256 mode of a SigV4 header request, else null. */
    private static String payloadMode(S3Request request, Signed signed) {
        if (signed.v4() == null || signed.v4().auth().presigned()) {
            return null;
        }
        return signed.v4().auth().payloadHash();
    }

    static CheckedPayload payload(S3Request request, Signed signed, boolean checksumHeaders) {
        String mode = payloadMode(request, signed);
        if (mode != null && mode.startsWith("STREAMING-")) {
            boolean signedChunks = mode.equals(SigV4.STREAMING_SIGNED) || mode.equals(SigV4.STREAMING_SIGNED_TRAILER);
            boolean trailer = mode.endsWith("-TRAILER");
            List<String> trailerNames = trailer ? AwsChunkedPayload.trailerNames(request.header("x-amz-trailer"))
                    : List.of();
            AwsChunkedPayload chunked = new AwsChunkedPayload(new BufferedInputStream(request.exchange.body(), 16 * 1024),
                    signedChunks ? signed.v4().chunkSigner() : null, signedChunks && trailer, trailerNames,
                    AwsChunkedPayload.decodedLength(request.header("x-amz-decoded-content-length")));
            for (String name : checksumHeaders(request, checksumHeaders)) {
                chunked.checksumHeader(name, request.header(name));
            }
            return chunked;
        }
        HashedPayload payload = new HashedPayload(request.exchange.body(), request.contentLength());
        if (mode != null && !mode.equals(SigV4.UNSIGNED_PAYLOAD)) {
            payload.sha256Hex(mode);
        }
        String md5 = request.header("content-md5");
        if (md5 != null) {
            payload.contentMd5(md5);
        }
        for (String name : checksumHeaders(request, checksumHeaders)) {
            payload.checksum(name, request.header(name));
        }
        return payload;
    }

    /** The {@code x-amz-checksum-<algorithm>} headers of a request (lower case), when they are about its body. */
    private static List<String> checksumHeaders(S3Request request, boolean aboutTheBody) {
        if (!aboutTheBody) {
            return List.of();
        }
        List<String> names = new java.util.ArrayList<>();
        for (String name : request.signed.headers().all().keySet()) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.startsWith("x-amz-checksum-") && !n.equals("x-amz-checksum-mode")
                    && !n.equals("x-amz-checksum-type") && !n.equals("x-amz-checksum-algorithm")) {
                names.add(n);
            }
        }
        return names;
    }
}

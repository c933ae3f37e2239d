package io.tarn.api.s3;

import io.tarn.api.s3.sig.AwsEncoding;
import java.util.List;
import java.util.Set;

/**
 * The S3 operation a request asks for, chosen from its method, addressing and sub-resources (the
 * names are S3's, as the access log and the metrics show them).
 */
enum S3Operation {
    ListBuckets, HeadBucket, GetBucketLocation, GetBucketVersioning, ListObjects, ListObjectsV2, CreateBucket,
    DeleteBucket, ListMultipartUploads, DeleteObjects, GetObject, HeadObject, PutObject, CopyObject, DeleteObject,
    CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload, ListParts,
    GetObjectTagging, GetObjectAcl, GetBucketTagging, GetBucketAcl,
    /** A sub-resource or method the gateway does not serve. */
    Unsupported;

    /** Bucket sub-resources the gateway does not serve (each answers NotImplemented, naming it). */
    private static final Set<String> BUCKET_SUBRESOURCES = Set.of("acl", "analytics", "cors", "encryption",
            "intelligent-tiering", "inventory", "lifecycle", "logging", "metrics", "notification", "object-lock",
            "ownershipControls", "policy", "policyStatus", "publicAccessBlock", "replication", "requestPayment",
            "tagging", "versions", "website", "accelerate");
    private static final Set<String> OBJECT_SUBRESOURCES = Set.of("acl", "attributes", "legal-hold", "restore",
            "retention", "select", "tagging", "torrent");

    static S3Operation of(S3Request r) {
        String method = r.method();
        if (r.bucket == null) {
            return method.equals("GET") ? ListBuckets : Unsupported;
        }
        if (r.key == null) {
            if (method.equals("GET") && r.hasParam("tagging")) {
                return GetBucketTagging;
            }
            if (method.equals("GET") && r.hasParam("acl")) {
                return GetBucketAcl;
            }
            if (subresource(r, BUCKET_SUBRESOURCES) != null) {
                return Unsupported;
            }
            return switch (method) {
                case "GET" -> r.hasParam("location") ? GetBucketLocation
                        : r.hasParam("versioning") ? GetBucketVersioning
                        : r.hasParam("uploads") ? ListMultipartUploads
                        : "2".equals(r.param("list-type")) ? ListObjectsV2 : ListObjects;
                case "HEAD" -> HeadBucket;
                case "PUT" -> CreateBucket;
                case "POST" -> r.hasParam("delete") ? DeleteObjects : Unsupported;
                case "DELETE" -> DeleteBucket;
                default -> Unsupported;
            };
        }
        if (method.equals("GET") && r.hasParam("tagging")) {
            return GetObjectTagging;
        }
        if (method.equals("GET") && r.hasParam("acl")) {
            return GetObjectAcl;
        }
        if (subresource(r, OBJECT_SUBRESOURCES) != null) {
            return Unsupported;
        }
        boolean upload = r.hasParam("uploadId");
        return switch (method) {
            case "GET" -> upload ? ListParts : GetObject;
            case "HEAD" -> HeadObject;
            case "PUT" -> upload && r.hasParam("partNumber")
                    ? (r.header("x-amz-copy-source") != null ? UploadPartCopy : UploadPart)
                    : r.header("x-amz-copy-source") != null ? CopyObject : PutObject;
            case "POST" -> r.hasParam("uploads") ? CreateMultipartUpload
                    : upload ? CompleteMultipartUpload : Unsupported;
            case "DELETE" -> upload ? AbortMultipartUpload : DeleteObject;
            default -> Unsupported;
        };
    }

    /** The first parameter of the query (in the order sent) that is one of {@code names}, or null. */
    private static String subresource(S3Request r, Set<String> names) {
        for (AwsEncoding.Param p : r.signed.query()) {
            if (names.contains(p.name())) {
                return p.name();
            }
        }
        return null;
    }

    /** The error for an operation that is recognised but not served. */
    S3Error unsupported(S3Request r) {
        if (this == Unsupported) {
            String sub = subresource(r, r.key == null ? BUCKET_SUBRESOURCES : OBJECT_SUBRESOURCES);
            if (sub != null) {
                return S3Error.notImplemented("the S3 gateway of Tarn does not support the '" + sub
                        + "' sub-resource");
            }
            return new S3Error(405, "MethodNotAllowed", "The specified method (" + r.method()
                    + ") is not allowed against this resource.");
        }
        return S3Error.notImplemented("the S3 gateway of Tarn does not support " + name() + " yet");
    }
}

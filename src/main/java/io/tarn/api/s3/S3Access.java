package io.tarn.api.s3;

import io.tarn.auth.policy.Actions;
import io.tarn.auth.policy.Arns;
import io.tarn.auth.policy.Permission;
import java.util.List;

/**
 * The S3 gateway's part of the table of operations and the permissions they need (lakeFS's): one
 * entry per {@link S3Operation}, by an exhaustive switch, so an operation without an entry does not
 * compile. Objects are named by their path within the ref ({@code main/a/b} → {@code a/b}).
 * DeleteObjects is authorized per key by its handler (a denied key is an {@code AccessDenied} entry
 * of its result, as S3 does), with {@link #deleteItem}.
 */
final class S3Access {
    private S3Access() {}

    static List<Permission> required(S3Operation operation, S3Request r) {
        return required(operation, r.bucket, r.key == null ? null : r.path(), r.header("x-amz-copy-source"));
    }

    /**
     * @param bucket     the repository, or null (ListBuckets)
     * @param path       the object's path within its ref, or null
     * @param copySource the {@code x-amz-copy-source} header, or null
     */
    static List<Permission> required(S3Operation operation, String bucket, String path, String copySource) {
        return switch (operation) {
            case ListBuckets -> List.of(new Permission(Actions.LIST_REPOSITORIES, Arns.ALL));
            case HeadBucket, GetBucketLocation, GetBucketVersioning, GetBucketTagging, GetBucketAcl ->
                    List.of(new Permission(Actions.READ_REPOSITORY, Arns.repository(bucket)));
            case ListObjects, ListObjectsV2, ListMultipartUploads ->
                    List.of(new Permission(Actions.LIST_OBJECTS, Arns.repository(bucket)));
            case CreateBucket -> List.of(new Permission(Actions.CREATE_REPOSITORY, Arns.repository(bucket)));
            case DeleteBucket -> List.of(new Permission(Actions.DELETE_REPOSITORY, Arns.repository(bucket)));
            case DeleteObjects -> List.of(); // per key, by the handler
            case GetObject, HeadObject, GetObjectTagging, GetObjectAcl, ListParts ->
                    List.of(new Permission(Actions.READ_OBJECT, object(bucket, path)));
            case PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload ->
                    List.of(new Permission(Actions.WRITE_OBJECT, object(bucket, path)));
            case CopyObject, UploadPartCopy -> List.of(new Permission(Actions.WRITE_OBJECT, object(bucket, path)),
                    new Permission(Actions.READ_OBJECT, copySource(bucket, copySource)));
            case DeleteObject, AbortMultipartUpload -> List.of(new Permission(Actions.DELETE_OBJECT, object(bucket, path)));
            case Unsupported -> List.of(); // answered NotImplemented or MethodNotAllowed, touching nothing
        };
    }

    /** What deleting one key of a DeleteObjects request needs. */
    static Permission deleteItem(String repository, String key) {
        int slash = key.indexOf('/');
        return new Permission(Actions.DELETE_OBJECT, Arns.object(repository, slash < 0 ? "" : key.substring(slash + 1)));
    }

    private static String object(String bucket, String path) {
        return Arns.object(bucket, path == null ? "" : path);
    }

    private static String copySource(String bucket, String header) {
        if (header == null) {
            return Arns.object(bucket, "");
        }
        String[] source = S3Objects.copySource(header);
        return Arns.object(source[0], source[2]);
    }
}

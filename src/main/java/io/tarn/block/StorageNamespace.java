package io.tarn.block;

/**
 * A validated storage namespace: the root of one repository inside a block store.
 *
 * @param uri    the namespace as the user wrote it, e.g. {@code s3://bucket/repos/a}
 * @param scheme {@code local}, {@code s3} or {@code mem}
 * @param bucket the bucket (s3), the store name (mem), or empty (local)
 * @param prefix the path inside the bucket or under the local root, without leading or trailing '/'
 */
public record StorageNamespace(String uri, String scheme, String bucket, String prefix) {}

package io.tarn.block;

import java.time.Instant;

/**
 * One object found by {@link BlockStore#list}.
 *
 * @param key          the key relative to the namespace
 * @param size         its size in bytes
 * @param etag         its ETag without quotes (MD5 hex for single-request writes), or {@code null} where
 *                     the listing does not read it (the local store keeps it beside the data: ask
 *                     {@link BlockStore#stat} for it)
 * @param lastModified when it was last written (the time an upload started, on S3)
 */
public record BlockListing(String key, long size, String etag, Instant lastModified) {}

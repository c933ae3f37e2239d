package io.tarn.block;

import java.time.Instant;

/**
 * One object found by {@link BlockStore#list}.
 *
 * @param key          the key relative to the namespace
 * @param size         its size in bytes
 * @param lastModified when it was last written (the time an upload started, on S3)
 */
public record BlockListing(String key, long size, Instant lastModified) {}

package io.tarn.block;

import java.time.Instant;

/**
 * One object of a block store listing.
 *
 * @param key          the object's key relative to the listed namespace
 * @param etag         without quotes (MD5 hex for single-request writes)
 */
public record BlockListing(String key, long size, String etag, Instant lastModified) {}

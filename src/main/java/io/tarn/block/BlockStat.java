package io.tarn.block;

import java.time.Instant;

/** Size, ETag and last-modified time of a stored object. */
public record BlockStat(long size, String etag, Instant lastModified) {}

package io.tarn.engine.model;

/**
 * Where a client may write an object's data itself before linking it to a branch.
 *
 * @param physicalAddress    the full URI of the data in the block store (what linking names)
 * @param presignedUrl       a URL to PUT the data to, or {@code null} when none was asked for
 * @param presignedUrlExpiry when that URL expires, epoch seconds ({@code null} without one)
 */
public record StagingLocation(String physicalAddress, String presignedUrl, Long presignedUrlExpiry) {}

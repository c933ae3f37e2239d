package io.tarn.block;

/** One uploaded part of a multipart upload. */
public record PartResult(int partNumber, long size, String etag) {}

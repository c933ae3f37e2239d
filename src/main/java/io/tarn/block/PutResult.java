package io.tarn.block;

/** What a completed write produced: its size and ETag (MD5 hex for single-part writes). */
public record PutResult(long size, String etag) {}

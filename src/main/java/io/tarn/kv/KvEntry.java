package io.tarn.kv;

/** One key and its value, as returned by a scan. */
public record KvEntry(byte[] key, byte[] value) {}

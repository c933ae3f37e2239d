package io.tarn.engine.tree;

/**
 * One key whose entry differs between two trees: {@code before} and {@code after} are the encoded
 * entries ({@code null} = absent on that side; never both null, never the same identity).
 */
public record DiffRecord(byte[] key, byte[] before, byte[] after) {}

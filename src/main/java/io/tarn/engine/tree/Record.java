package io.tarn.engine.tree;

/**
 * A key and its encoded entry. In change streams a {@code null} value means "remove this key".
 */
public record Record(byte[] key, byte[] value) {}

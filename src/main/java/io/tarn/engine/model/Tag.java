package io.tarn.engine.model;

/** A tag: an immutable name for one commit. */
public record Tag(String name, String commitId) {}

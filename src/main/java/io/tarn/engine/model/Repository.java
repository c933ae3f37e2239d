package io.tarn.engine.model;

/** A repository: a versioned tree of objects whose data lives under one storage namespace. */
public record Repository(String id, String storageNamespace, String defaultBranch, long creationDate) {}

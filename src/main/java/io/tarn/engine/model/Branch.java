package io.tarn.engine.model;

/** A branch name and the id of the commit it points to (its staged changes are not part of this). */
public record Branch(String name, String commitId) {}

package io.tarn.engine.model;

/** An object's entry together with the repository it was found in (read in the same lookup). */
public record LocatedObject(Repository repository, ObjectEntry entry) {}

package io.tarn.engine.model;

/** A group of objects sharing a prefix that ends with the listing's delimiter. */
public record CommonPrefix(String path) implements ListItem {}

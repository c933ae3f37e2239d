package io.tarn.engine.model;

/** How a path differs. */
public enum ChangeType { ADDED, REMOVED, CHANGED, CONFLICT }

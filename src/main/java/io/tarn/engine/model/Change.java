package io.tarn.engine.model;

/**
 * One path that differs between two trees.
 *
 * @param entry the entry on the side the change points to (the new one for ADDED/CHANGED, the old
 *              one for REMOVED); may be {@code null} for CONFLICT
 */
public record Change(ChangeType type, String path, ObjectEntry entry) {}

package io.tarn.engine.model;

/**
 * TWO_DOT: what differs between the two trees. THREE_DOT: what changed on the left side since the
 * merge base of the two refs (what merging left into right would bring).
 */
public enum DiffType { TWO_DOT, THREE_DOT }

package io.tarn.engine.model;

/** What to do with conflicting paths: fail the merge, keep the destination's, or take the source's. */
public enum MergeStrategy { NONE, DEST_WINS, SOURCE_WINS }

package io.tarn.engine.model;

/** Counts of what a merge applied (conflicts only when a strategy resolved them). */
public record MergeSummary(long added, long removed, long changed, long conflict) {}

package io.tarn.api.classic.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code summary} of a merge: counts of the changes applied (or of the conflicts found). */
public record MergeSummaryJson(
        @JsonProperty("added") long added,
        @JsonProperty("removed") long removed,
        @JsonProperty("changed") long changed,
        @JsonProperty("conflict") long conflict) {}

package io.tarn.api.classic.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The 200 answer of mergeIntoBranch: at most 1,000 applied changes, the merge commit, the totals. */
public record MergeJson(
        @JsonProperty("results") List<ChangeJson> results,
        @JsonProperty("reference") String reference,
        @JsonProperty("summary") MergeSummaryJson summary) {}
